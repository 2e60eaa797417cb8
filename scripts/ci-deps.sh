#!/usr/bin/env bash
# Installs what the browser tests (tests/it/browser/) need and a bare
# machine lacks: Debian's `chromium` and `chromium-driver` (WebDriver), and
# a Chinese font (`fonts-wqy-zenhei`) so zh-CN pages lay out and screenshot
# with real glyphs rather than boxes; and Python's venv, into which the
# replication tests (tests/it/replication.rs) pip-install Litestream.
# Runs as root in CI (`.ci/run` calls it); does nothing when both are there.
# The package lists are refreshed only when a package cannot be found.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-zenhei)
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ci-deps: ${need[*]} missing; run this script as root (apt-get install)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${need[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
chromium --version
chromedriver --version

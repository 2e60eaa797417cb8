#!/usr/bin/env bash
# Plaza benchmark: seeds a realistic data set, starts the release server and
# drives it with wrk from the same machine. Prints one RESULT line per
# scenario and run, then a table of medians. See README "Benchmarks".
#
#   scripts/bench/run.sh                    # 10,000 users, 1,000,000 posts, 3 runs
#   USERS=1000 POSTS=50000 RUNS=1 DURATION=5 scripts/bench/run.sh   # quick look
#   BASE_BIN=/path/to/older/plaza scripts/bench/run.sh   # also the home timeline
#       served by an older build on the same data, in the same run ("home_before")
#   BIN=$CARGO_TARGET_DIR/debug/plaza USERS=200 POSTS=2000 RUNS=1 DURATION=2 \
#     SCENARIOS="home api_home" scripts/bench/run.sh       # check the script, no figures
#   SCENARIOS="healthz posting" scripts/bench/run.sh      # only these (names as printed;
#       also home_during_logins, home_with_1000_idle, home_with_blocks, login_burst, hostile, together,
#       and home_during_backup: not in the default set, it writes MEDIA_GIB (10) GiB of
#       media once into target/ and needs twice that free)
#   home_with_blocks: the home timeline, then the same with BLOCKS (200) blocks and as
#       many mutes on every viewing account, in the same run; the ratio is printed.
#   api_home: GET /api/v1/timelines/home with a bearer token (issue 19), the
#       same 64 connections as home, so the two compare in one run
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-10000} FOLLOWS=${FOLLOWS:-100} POSTS=${POSTS:-1000000}
RUNS=${RUNS:-3} DURATION=${DURATION:-10} CONNS=${CONNS:-64} PORT=${PORT:-18321} MEDIA_GIB=${MEDIA_GIB:-10}
SCENARIOS=${SCENARIOS:-"healthz home api_home public post tag posting home_during_logins home_with_1000_idle home_with_blocks login_burst hostile together"}
BLOCKS=${BLOCKS:-200}
want() { [[ " $SCENARIOS " == *" $1 "* ]]; }
command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y wrk >/dev/null; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/plaza
fi
# Seeded anew when the schema changes (a start would otherwise migrate 1 M posts each time).
SCHEMA=$(sed -n 's/^pub const SCHEMA_VERSION: i64 = \([0-9]*\);/\1/p' src/db/mod.rs)
CACHE=target/bench-data-$USERS-$FOLLOWS-$POSTS-s$SCHEMA
if [ ! -f "$CACHE/plaza.db" ]; then
  rm -rf "$CACHE"
  /usr/bin/time -f "seed: %e s, max RSS %M KiB" $BIN seed --data "$CACHE" --users "$USERS" --follows "$FOLLOWS" \
    --posts "$POSTS" --sessions 500 --sessions-out "$CACHE/sessions.txt" \
    --api-tokens-out "$CACHE/api-tokens.txt" --until 2026-11-30T00:00:00Z
fi
# Public post ids for the post-page scenario (other posts answer 404 to most members).
if [ ! -f "$CACHE/public-posts.txt" ]; then
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
[print(r[0]) for r in c.execute(\"SELECT id FROM posts WHERE visibility='public' AND repost_of IS NULL ORDER BY random() LIMIT 20000\")]" \
    "$CACHE/plaza.db" > "$CACHE/public-posts.txt"
fi
WORK=$(mktemp -d)
LOG=$(mktemp)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK" "$LOG"' EXIT
SERVER=
RESULTS=$(mktemp)

start_server() { # [binary]
  rm -rf "$WORK/data" && cp -r "$CACHE" "$WORK/data"
  # Client API rate limits are a per-token policy, not a throughput limit:
  # off here, so api_home measures the server (issue 19).
  printf 'api_token_requests_per_5min = 0\napi_account_requests_per_5min = 0\n' >> "$WORK/data/plaza.toml"
  local t0; t0=$(date +%s%N)
  ${1:-$BIN} serve --data "$WORK/data" --listen 127.0.0.1:$PORT >>"$LOG" 2>&1 &
  SERVER=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.002; done
  echo "RESULT scenario=startup first_answer_ms=$(( ($(date +%s%N) - t0) / 1000000 ))"
}

stop_server() { kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; }

# Server-side connections that have sent at least one byte, of all open
# ones. With `ss -ti` each socket is a line, then an indented info line that
# has `bytes_sent:N` only once something was sent.
served() {
  ss -tinH state established "( sport = :$PORT )" 2>/dev/null |
    awk '/^[^ \t]/ { t++ } /bytes_sent:[1-9]/ { s++ } END { printf "%d/%d", s, t }'
}

# Peak resident memory of the server so far (KiB).
peak_rss() { awk '/VmHWM/ {print $2}' /proc/$SERVER/status; }

scenario() { # name connections [extra wrk args]
  local name=$1 conns=$2
  local mid=$(( DURATION / 2 ))
  ( sleep "$mid"; echo "SERVED $(served)" > "$WORK/served" ) &
  local sampler=$! out
  out=$(SCENARIO=$name SESSIONS="$CACHE/sessions.txt" POST_IDS="$CACHE/public-posts.txt" API_TOKENS="$CACHE/api-tokens.txt" \
    wrk -t2 -c"$conns" -d"${DURATION}s" --timeout 5s -s scripts/bench/load.lua http://127.0.0.1:$PORT/ 2>&1 | grep '^RESULT')
  wait $sampler
  echo "$out conns_served=$(cut -d' ' -f2 "$WORK/served") rss_kib=$(peak_rss)"
}

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS"
  if [ -n "${BASE_BIN:-}" ] && want home; then
    start_server "$BASE_BIN" >/dev/null
    out=$(scenario home "$CONNS"); echo "${out/scenario=home/scenario=home_before}" | tee -a "$RESULTS"
    stop_server
  fi
  start_server > "$WORK/startup"; tee -a "$RESULTS" < "$WORK/startup"
  for s in healthz home api_home public post tag; do want $s && scenario $s "$CONNS" | tee -a "$RESULTS"; done
  want posting && scenario posting 32 | tee -a "$RESULTS"
  # Home timeline p99 while 20 logins a second hit the bcrypt pool.
  if want home_during_logins; then
  first_user=$(awk 'NR==1 {print $3}' "$CACHE/sessions.txt")
  python3 scripts/bench/logins.py 127.0.0.1 $PORT "$first_user" plaza-seed-password 20 "$DURATION" > "$WORK/logins" &
  flood=$!
  out=$(scenario home "$CONNS"); wait $flood
  echo "${out/scenario=home/scenario=home_during_logins} $(cut -d' ' -f2- "$WORK/logins")" | tee -a "$RESULTS"
  fi
  # 1,000 idle connections held open while pages are served.
  if want home_with_1000_idle; then
  python3 scripts/bench/idle.py 127.0.0.1 $PORT 1000 $(( DURATION + 5 )) > "$WORK/idle" &
  idle=$!
  sleep 3
  out=$(scenario home 16)
  echo "${out/scenario=home/scenario=home_with_1000_idle} idle_held=$(awk '{print $3}' "$WORK/idle")" | tee -a "$RESULTS"
  wait $idle
  fi
  # Issue 18: the home timeline without and then with BLOCKS blocks and as
  # many mutes on every viewing account, back to back on the same data.
  if want home_with_blocks; then
  out=$(scenario home "$CONNS"); echo "${out/scenario=home/scenario=home_no_blocks}" | tee -a "$RESULTS"
  python3 scripts/bench/blocks.py "$WORK/data/plaza.db" "$CACHE/sessions.txt" "$BLOCKS" add
  out=$(scenario home "$CONNS"); echo "${out/scenario=home/scenario=home_with_blocks}" | tee -a "$RESULTS"
  python3 scripts/bench/blocks.py "$WORK/data/plaza.db" "$CACHE/sessions.txt" "$BLOCKS" remove
  fi
  # 32 members log in at the same moment.
  want login_burst && python3 scripts/bench/burst.py 127.0.0.1 $PORT plaza-seed-password 32 $(awk 'NR<=32 {print $3}' "$CACHE/sessions.txt") |
    sed 's/^RESULT burst/RESULT scenario=login_burst/' | tee -a "$RESULTS"
  # Hostile clients, last: they leave a post and many connections behind.
  if want hostile; then
  read -r token csrf _ < <(sed -n 2p "$CACHE/sessions.txt")
  python3 scripts/bench/hostile.py 127.0.0.1 $PORT $SERVER "$token" "$csrf" |
    sed 's/^RESULT hostile/RESULT scenario=hostile/' | tee -a "$RESULTS"
  fi
  stop_server
done

# Connections arriving together, on ten fresh starts.
want together && for start in $(seq 1 10); do
  start_server >/dev/null
  python3 scripts/bench/together.py 127.0.0.1 $PORT "$CONNS" 20 | tee -a "$WORK/together"
  stop_server
done
want together && echo "RESULT scenario=together_10_starts served=$(awk -F'served=' '{split($2, a, " "); printf "%s,", a[1]}' "$WORK/together" | sed 's/,$//') of=$CONNS" |
  tee -a "$RESULTS"

# Home timeline while `plaza backup` copies the database and MEDIA_GIB GiB of
# media (issue 14): first home alone (page cache dropped, database pages read
# back in by two warm-up runs), then home in 5 s windows until the backup ends.
if want home_during_backup; then
  MEDIA=target/bench-media-${MEDIA_GIB}g
  python3 scripts/bench/media.py make "$MEDIA" "$MEDIA_GIB"
  start_server >/dev/null
  python3 scripts/bench/media.py attach "$WORK/data" "$MEDIA"
  sync; echo 3 2>/dev/null > /proc/sys/vm/drop_caches || echo "(page cache not dropped: the media may be read from memory)"
  scenario home "$CONNS" >/dev/null
  scenario home "$CONNS" >/dev/null
  scenario home "$CONNS" | sed 's/scenario=home /scenario=home_before_backup /' | tee -a "$RESULTS"
  t0=$(date +%s%N)
  $BIN backup --data "$WORK/data" --out "$WORK/backup" > "$WORK/backup.log" 2>&1 &
  backup=$!
  while kill -0 $backup 2>/dev/null; do DURATION=5 scenario home "$CONNS" | tee -a "$WORK/during"; done
  wait $backup || { cat "$WORK/backup.log"; exit 1; }
  backup_s=$(( ($(date +%s%N) - t0) / 1000000000 ))
  tail -1 "$WORK/backup.log"
  rm -rf "$WORK/backup"
  stop_server
  python3 - "$WORK/during" "$backup_s" <<'EOF' | tee -a "$RESULTS"
import re, statistics, sys
w = [dict(re.findall(r"(\w+)=(\S+)", l)) for l in open(sys.argv[1])]
p99 = [float(r["p99_ms"]) for r in w]
print(f"RESULT scenario=home_during_backup rps={statistics.median(float(r['rps']) for r in w):.0f} "
      f"p50_ms={statistics.median(float(r['p50_ms']) for r in w):.2f} p99_ms={statistics.median(p99):.2f} "
      f"max_ms={max(float(r['max_ms']) for r in w):.1f} worst_window_p99_ms={max(p99):.2f} windows={len(w)} "
      f"backup_s={sys.argv[2]} non2xx3xx={sum(int(r.get('non2xx3xx', 0)) for r in w)}")
EOF
fi

python3 - "$RESULTS" "$BLOCKS" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    if "scenario" in kv:
        rows.setdefault(kv["scenario"], []).append(kv)
def med(rs, key):
    vals = [float(r[key]) for r in rs if key in r]
    return statistics.median(vals) if vals else float("nan")
print("\nMedians over runs:")
print(f"{'scenario':24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'served':>8} {'RSS MiB':>8} {'errors':>7}")
for name, rs in rows.items():
    if name == "startup":
        print(f"{'start to first answer':24} {med(rs, 'first_answer_ms'):>8.0f} ms")
        continue
    if name in ("login_burst", "hostile", "together_10_starts"):
        for r in rs:
            print(f"{name:24} " + " ".join(f"{k}={v}" for k, v in r.items() if k != "scenario"))
        continue
    errs = sum(int(r.get(k, 0)) for r in rs for k in ("non2xx3xx", "connect_err", "read_err", "timeouts"))
    print(f"{name:24} {med(rs, 'rps'):>8.0f} {med(rs, 'p50_ms'):>8.2f} {med(rs, 'p99_ms'):>8.2f} {med(rs, 'max_ms'):>8.1f} "
          f"{rs[-1].get('conns_served', '-'):>8} {med(rs, 'rss_kib') / 1024:>8.0f} {errs:>7}")
if "home_before_backup" in rows and "home_during_backup" in rows:
    b, d = rows["home_before_backup"][-1], rows["home_during_backup"][-1]
    print(f"home p99 during the backup vs before it: {float(d['p99_ms']) / float(b['p99_ms']):.2f} x "
          f"(worst 5 s window {float(d['worst_window_p99_ms']) / float(b['p99_ms']):.2f} x), backup took {d['backup_s']} s")
if "home_with_blocks" in rows and "home_no_blocks" in rows:
    pairs = list(zip(rows["home_no_blocks"], rows["home_with_blocks"]))
    rps = [float(a["rps"]) / float(b["rps"]) for a, b in pairs]
    p99 = [float(b["p99_ms"]) / float(a["p99_ms"]) for a, b in pairs]
    print(f"home with {sys.argv[2]} blocks and mutes vs without (same runs): "
          f"req/s without/with {statistics.median(rps):.2f}, p99 with/without {statistics.median(p99):.2f} "
          f"(goal: at most 1.2; per run: " + ", ".join(f"{r:.2f}" for r in rps) + ")")
if "api_home" in rows and "home" in rows:
    ratios = [float(a["rps"]) / float(b["rps"]) for a, b in zip(rows["api_home"], rows["home"])]
    print(f"API home timeline vs HTML home (same runs): {statistics.median(ratios):.2f} x (per run: "
          + ", ".join(f"{r:.2f}" for r in ratios) + ")")
if "home_before" in rows and "home" in rows:
    ratios = [float(a["rps"]) / float(b["rps"]) for a, b in zip(rows["home"], rows["home_before"])]
    print(f"home timeline vs home_before (same runs): {statistics.median(ratios):.2f} x (per run: "
          + ", ".join(f"{r:.2f}" for r in ratios) + ")")
PY

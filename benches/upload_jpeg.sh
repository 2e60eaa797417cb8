#!/usr/bin/env bash
# Upload benchmark (R2.2): time for the server to accept a 5 MiB phone photo
# (4000 x 3000 JPEG with EXIF orientation and GPS) posted as multipart, from
# the first byte sent to the 303 answer: parse, spool, checks, decode, rotate,
# re-encode, thumbnail, fsync, rename, database row. Seven different photos
# (so none is deduplicated), one at a time; prints each time and the median.
#
#   bash benches/upload_jpeg.sh
#
# Needs curl. Makes the photos with `cargo bench --bench upload_photos` when
# they are missing, starts the release build on 127.0.0.1:18088 with a
# temporary data folder and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18088}
BASE="http://127.0.0.1:$PORT"
PHOTOS=${PLAZA_BENCH_DIR:-/tmp/plaza-bench}
export PLAZA_BENCH_DIR="$PHOTOS"
cargo build --release --quiet
PLAZA="${CARGO_TARGET_DIR:-target}/release/plaza"
[ -f "$PHOTOS/photo-6.jpg" ] || cargo bench --quiet --bench upload_photos
DATA=$(mktemp -d)
JAR="$DATA/cookies.txt"
"$PLAZA" --data "$DATA/plaza-data" --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

# A member whose identity the organisation verified, so it may publish (R7.1).
echo 'correct horse' | "$PLAZA" user add --data "$DATA/plaza-data" --username bench --password-stdin \
  --legal-name 张三 --mobile 13800138000 --id-number 110101199003071233 >/dev/null
token() { curl -s -b "$JAR" -c "$JAR" "$BASE$1" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1; }
curl -s -o /dev/null -b "$JAR" -c "$JAR" --data "csrf_token=$(token /login)&username=bench&password=correct+horse" "$BASE/login"
curl -s -o /dev/null -b "$JAR" -c "$JAR" --data "csrf_token=$(token /terms/accept)&version=1" "$BASE/terms/accept"
CSRF=$(token /)

times=()
for i in 0 1 2 3 4 5 6; do
  out=$(curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{time_total}' \
    -F "csrf_token=$CSRF" -F "body=bench $i" -F visibility=public -F "alt=photo $i" \
    -F "media=@$PHOTOS/photo-$i.jpg;type=image/jpeg" "$BASE/posts")
  code=${out% *}
  [ "$code" = 303 ] || { echo "upload $i answered $code" >&2; exit 1; }
  echo "photo-$i.jpg ($(stat -c %s "$PHOTOS/photo-$i.jpg") bytes): ${out#* } s"
  times+=("${out#* }")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { printf "median of %d: %s s\n", NR, t[int((NR + 1) / 2)] }'

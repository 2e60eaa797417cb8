#!/usr/bin/env python3
"""Replica lag under steady posting, and restore time (issue 14).

Seeds a site, configures replication to a folder, starts the server (which
runs Litestream), posts at RATE posts/s for DURATION seconds from seeded
sessions, and follows the replica with `litestream restore -f` into a
read-only copy: a post's lag is the time from its 303 to the moment its id
is in the follower. Then SIGKILLs Litestream and the server, deletes the
data folder and times `plaza replication restore`.

    PLAZA=target/release/plaza PLAZA_LITESTREAM=/path/to/litestream \\
        RATE=500 DURATION=20 python3 scripts/bench/replication_lag.py
    # restore of a 1 M-post site:
    SEED_USERS=10000 SEED_POSTS=1000000 RATE=50 DURATION=5 ... replication_lag.py
"""

import http.client
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PLAZA = os.environ.get("PLAZA", "target/release/plaza")
LITESTREAM = os.environ["PLAZA_LITESTREAM"]
RATE = float(os.environ.get("RATE", "500"))
DURATION = float(os.environ.get("DURATION", "20"))
WRITERS = int(os.environ.get("WRITERS", "16"))
PORT = int(os.environ.get("PORT", "18747"))
SEED_USERS = os.environ.get("SEED_USERS", "200")
SEED_POSTS = os.environ.get("SEED_POSTS", "2000")

work = tempfile.mkdtemp(prefix="plaza-lag-")
data = os.path.join(work, "data")
target = os.path.join(work, "second-disk", "plaza")
os.makedirs(os.path.dirname(target))


def plaza(*args):
    r = subprocess.run([PLAZA, *args, "--data", data], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"plaza {' '.join(args)}: {r.stdout}{r.stderr}")
    return r.stdout


sessions_file = os.path.join(work, "sessions.txt")
t0 = time.time()
plaza("seed", "--users", SEED_USERS, "--follows", "5", "--posts", SEED_POSTS, "--sessions", str(WRITERS),
      "--sessions-out", sessions_file)
print(f"seeded {SEED_POSTS} posts in {time.time() - t0:.1f} s; database {os.path.getsize(os.path.join(data, 'plaza.db')) >> 20} MiB")
sessions = [line.split()[:2] for line in open(sessions_file) if line.strip()]
plaza("replication", "config", "--to", target, "--interval-ms", "1000")
server = subprocess.Popen([PLAZA, "--data", data, "--listen", f"127.0.0.1:{PORT}"],
                          stdout=subprocess.PIPE, stderr=open(os.path.join(work, "stderr.log"), "w"), text=True)
for line in server.stdout:
    if line.startswith("Plaza listening"):
        break
state_file = os.path.join(data, "replication.state")
t0 = time.time()
deadline = time.time() + 600
while True:
    try:
        st = json.load(open(state_file))
        if st.get("pid") and st.get("lag") is not None:
            break
    except (OSError, ValueError):
        pass
    if time.time() > deadline:
        sys.exit("litestream did not start")
    time.sleep(0.1)
litestream_pid = st["pid"]
print(f"Litestream started and measured a lag after {time.time() - t0:.1f} s")

follower_db = os.path.join(work, "follower.db")
follower = subprocess.Popen([LITESTREAM, "restore", "-f", "-follow-interval", "100ms", "-o", follower_db,
                             "file://" + os.path.join(target, "db")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

acks = {}  # post id -> ack time
acks_lock = threading.Lock()
seen = []  # (time, max id in the follower)
stop = threading.Event()


def writer(i):
    token, csrf = sessions[i % len(sessions)]
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    period = WRITERS / RATE
    nxt = time.time()
    n = 0
    while not stop.is_set():
        body = urllib.parse.urlencode({"csrf_token": csrf, "visibility": "public", "body": f"lag {i} {n}"})
        conn.request("POST", "/posts", body, {"Cookie": f"plaza_session={token}",
                                             "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        r.read()
        if r.status == 303:
            pid = int(r.getheader("Location").split("/posts/")[1].split("#")[0].split("?")[0])
            with acks_lock:
                acks[pid] = time.time()
        n += 1
        nxt += period
        time.sleep(max(0.0, nxt - time.time()))


def sampler():
    while not stop.is_set():
        try:
            c = sqlite3.connect(f"file:{follower_db}?mode=ro", uri=True, timeout=1)
            m = c.execute("SELECT max(id) FROM posts").fetchone()[0] or 0
            c.close()
            seen.append((time.time(), m))
        except sqlite3.Error:
            pass
        time.sleep(0.02)


threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)] + [threading.Thread(target=sampler)]
start = time.time()
for t in threads:
    t.start()
time.sleep(DURATION)
stop.set()
stop_posting = time.time()
for t in threads[:-1]:
    t.join()
# Let the follower catch up on the last posts before measuring.
stop.clear()
tail = threading.Thread(target=sampler)
tail.start()
time.sleep(5)
stop.set()
tail.join()
threads[-1].join()

lags = []
j = 0
for pid, at in sorted(acks.items()):
    while j < len(seen) and seen[j][1] < pid:
        j += 1
    if j < len(seen):
        lags.append(max(0.0, seen[j][0] - at))
rate = len(acks) / (stop_posting - start)
print(f"posted {len(acks)} posts in {stop_posting - start:.1f} s ({rate:.0f} posts/s), {len(lags)} seen on the replica")
if lags:
    lags.sort()
    print(f"replica lag: median {statistics.median(lags):.2f} s, p90 {lags[int(len(lags) * 0.9)]:.2f} s, "
          f"max {lags[-1]:.2f} s (post acknowledged -> in a follower of the replica)")

follower.terminate()
os.kill(litestream_pid, signal.SIGKILL)
server.kill()
server.wait()
shutil.rmtree(data)
restored = os.path.join(work, "restored")
t0 = time.time()
r = subprocess.run([PLAZA, "replication", "restore", "--data", data, "--from", target, "--to", restored],
                   capture_output=True, text=True, env={**os.environ})
print(f"restore: {time.time() - t0:.2f} s, exit {r.returncode}")
print(r.stdout + r.stderr)
shutil.rmtree(work)

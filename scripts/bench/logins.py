"""Log in RATE times a second for SECONDS (the login-flood benchmark):
python3 logins.py HOST PORT USERNAME PASSWORD RATE SECONDS"""
import sys
import threading
import time

from login_form import open_form, submit

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rate, seconds = float(sys.argv[5]), float(sys.argv[6])
results = []


def login():
    try:
        form = open_form(host, port, timeout=30)
        t = time.time()
        status = submit(form, user, password)
        results.append((status, time.time() - t))
    except Exception:  # noqa: BLE001 - report, keep flooding
        results.append((0, 0.0))


threads = []
start = time.time()
i = 0
while time.time() - start < seconds:
    t = threading.Thread(target=login)
    t.start()
    threads.append(t)
    i += 1
    time.sleep(max(0.0, start + i / rate - time.time()))
for t in threads:
    t.join()
ok = sum(1 for s, _ in results if s == 303)
busy = sum(1 for s, _ in results if s == 503)
lat = sorted(d for s, d in results if s == 303)
p50 = lat[len(lat) // 2] * 1000 if lat else 0
print(f"RESULT logins sent={len(results)} ok={ok} busy503={busy} login_p50_ms={p50:.0f}", flush=True)

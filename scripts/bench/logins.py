"""Log in RATE times a second for SECONDS (the login-flood benchmark):
python3 logins.py HOST PORT USERNAME PASSWORD RATE SECONDS"""
import http.client
import re
import sys
import threading
import time
import urllib.parse

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rate, seconds = float(sys.argv[5]), float(sys.argv[6])
results = []


def login():
    try:
        c = http.client.HTTPConnection(host, port, timeout=30)
        c.request("GET", "/login")
        r = c.getresponse()
        page = r.read().decode()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": user, "password": password})
        t = time.time()
        c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        r = c.getresponse()
        r.read()
        results.append((r.status, time.time() - t))
    except Exception as e:  # noqa: BLE001 - report, keep flooding
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

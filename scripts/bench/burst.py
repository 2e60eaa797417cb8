"""N members log in at the same moment (a school's first lesson):
python3 burst.py HOST PORT PASSWORD N USERNAME...
Prints how many succeeded (303), were refused (503), and the time taken."""
import http.client
import re
import sys
import threading
import time
import urllib.parse

host, port, password, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
users = sys.argv[5:5 + n]
barrier = threading.Barrier(len(users))
results = []


def login(user):
    try:
        c = http.client.HTTPConnection(host, port, timeout=60)
        c.request("GET", "/login")
        r = c.getresponse()
        page = r.read().decode()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": user, "password": password})
        barrier.wait()
        c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        r = c.getresponse()
        r.read()
        results.append(r.status)
    except Exception:  # noqa: BLE001 - counted as a failure
        results.append(0)


t0 = time.time()
threads = [threading.Thread(target=login, args=(u,)) for u in users]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"RESULT burst logins={len(users)} ok={results.count(303)} busy503={results.count(503)} "
      f"seconds={time.time() - t0:.2f}", flush=True)

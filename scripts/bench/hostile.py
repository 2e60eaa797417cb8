"""Hostile clients against a running server while a bare page and a
signed-in page are probed every 200 ms (issue 11's trial):
python3 hostile.py HOST PORT PID SESSION_TOKEN CSRF
Phases: a 9 TB Content-Length, 40 MB of header lines, 32 silent and 32
byte-a-second bodies, 32 slow readers of an 8.6 MB image. Prints the
worst probe latency, failed probes (no 200 within 1 s), the server's RSS
growth, and whether it still runs."""
import http.client
import os
import random
import re
import socket
import struct
import sys
import threading
import time
import zlib

host, port, pid, token, csrf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
stop = threading.Event()


def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS:")).split()[1])


def noise_png(w, h):
    rnd = random.Random(7)
    raw = b"".join(b"\0" + rnd.randbytes(w * 3) for _ in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def upload_image():
    png = noise_png(1600, 1800)
    b = "benchBoundary7"
    parts = [f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in (("csrf_token", csrf), ("body", "hostile-bench image"), ("visibility", "public"))]
    parts.append(f'--{b}\r\nContent-Disposition: form-data; name="media"; filename="n.png"\r\n'
                 f'Content-Type: image/png\r\n\r\n'.encode() + png + b"\r\n")
    body = b"".join(parts) + f"--{b}--\r\n".encode()
    c = http.client.HTTPConnection(host, port, timeout=120)
    c.request("POST", "/posts", body, {"Content-Type": f"multipart/form-data; boundary={b}",
                                       "Cookie": f"plaza_session={token}"})
    r = c.getresponse(); r.read()
    loc = r.getheader("Location")
    c.request("GET", loc, headers={"Cookie": f"plaza_session={token}"})
    page = c.getresponse().read().decode()
    return re.search(r'/media/[0-9a-f]{64}', page).group(0)


probes = {"fail": 0, "worst": 0.0, "n": 0}


def probe():
    while not stop.is_set():
        for path, cookie in (("/healthz", None), ("/", f"plaza_session={token}")):
            t = time.time()
            try:
                c = http.client.HTTPConnection(host, port, timeout=1)
                c.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                r = c.getresponse(); r.read()
                ok = r.status == 200
            except OSError:
                ok = False
            d = time.time() - t
            probes["n"] += 1
            probes["worst"] = max(probes["worst"], d)
            if not ok or d > 1:
                probes["fail"] += 1
        time.sleep(0.2)


def hold(conn_bytes, drip):
    try:
        s = socket.create_connection((host, port))
        s.sendall(conn_bytes)
        while not stop.is_set():
            if drip:
                s.sendall(b"a")
            time.sleep(1)
    except OSError:
        pass


def slow_reader(url):
    try:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect((host, port))
        s.sendall(f"GET {url} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
        while not stop.is_set():
            s.recv(1024)
            time.sleep(1)
    except OSError:
        pass


image = upload_image()
before = rss_kib()
peak = before
threading.Thread(target=probe, daemon=True).start()
# 9 TB Content-Length.
s = socket.create_connection((host, port))
s.sendall(b"POST /login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          b"Content-Length: 9000000000000\r\n\r\nusername=x")
s.settimeout(5)
try:
    cl_answer = s.recv(64).split(b" ")[1].decode()
except (OSError, IndexError):
    cl_answer = "none"
# 40 MB of header lines.
s = socket.create_connection((host, port))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n")
sent = 0
try:
    while sent < 40_000_000:
        s.sendall(b"X-Padding: 0123456789\r\n" * 4000)
        sent += 23 * 4000
except OSError:
    pass
s.settimeout(5)
try:
    hdr_answer = s.recv(64).split(b" ")[1].decode()
except (OSError, IndexError):
    hdr_answer = "none"
peak = max(peak, rss_kib())
head = (b"POST /login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 100000\r\n\r\n")
held = [threading.Thread(target=hold, args=(head, drip), daemon=True) for drip in [False] * 32 + [True] * 32]
held += [threading.Thread(target=slow_reader, args=(image,), daemon=True) for _ in range(32)]
for t in held:
    t.start()
t0 = time.time()
while time.time() - t0 < 10:
    peak = max(peak, rss_kib())
    time.sleep(0.5)
stop.set()
time.sleep(0.5)
alive = os.path.exists(f"/proc/{pid}")
print(f"RESULT hostile cl_9tb={cl_answer} header_flood={hdr_answer} probes={probes['n']} "
      f"failed={probes['fail']} worst_ms={probes['worst'] * 1000:.0f} rss_before_mib={before / 1024:.0f} "
      f"rss_growth_mib={(peak - before) / 1024:.1f} alive={alive}", flush=True)

"""Connections arriving together: open N keep-alive connections at once,
send REQUESTS GETs on each, and count the connections answered in full.
python3 together.py HOST PORT N REQUESTS"""
import socket
import sys
import threading

host, port, n, requests = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
barrier = threading.Barrier(n)
served = []


def client():
    try:
        barrier.wait()
        s = socket.create_connection((host, port), timeout=10)
        f = s.makefile("rb")
        for _ in range(requests):
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
            status = f.readline()
            length = 0
            while True:
                line = f.readline()
                if line in (b"\r\n", b""):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            f.read(length)
            if b" 200 " not in status:
                return
        served.append(1)
    except OSError:
        pass


threads = [threading.Thread(target=client) for _ in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"RESULT together served={len(served)} of={n}", flush=True)

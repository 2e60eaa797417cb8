"""Hold N idle TCP connections open to the server for SECONDS, for the
idle-connections benchmark: python3 idle.py HOST PORT N SECONDS"""
import socket
import sys
import time

host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
held = []
for _ in range(n):
    try:
        held.append(socket.create_connection((host, port), timeout=5))
    except OSError as e:
        print(f"idle: connect failed: {e}", file=sys.stderr)
print(f"idle: holding {len(held)} connections", flush=True)
time.sleep(seconds)

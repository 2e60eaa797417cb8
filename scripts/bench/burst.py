"""N members log in at the same moment (a school's first lesson):
python3 burst.py HOST PORT PASSWORD N USERNAME...
Prints how many succeeded (303), were refused (503), and the time taken."""
import sys
import threading
import time

from login_form import open_form, submit

host, port, password, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
users = sys.argv[5:5 + n]
barrier = threading.Barrier(len(users))
results = []


def login(user):
    try:
        form = open_form(host, port)
        barrier.wait()
        results.append(submit(form, user, password))
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

"""Give each viewing account of the benchmark N blocks and N mutes, or take
them away again (the home_with_blocks scenario, issue 18):
python3 blocks.py DB SESSIONS N add|remove

A block always ends follows both ways, so blocked accounts are drawn from
accounts the viewer does not follow (and that do not follow the viewer);
mutes are drawn from everyone else, followed accounts included, as members
mute people they follow. Rows written here carry created_at = -18, which
`remove` takes away, so later scenarios see the data as seeded. Written
through SQLite while the server runs (WAL, busy timeout)."""
import random
import sqlite3
import sys

db, sessions, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
MARK = -18
conn = sqlite3.connect(db, timeout=30)
if mode == "remove":
    with conn:
        b = conn.execute("DELETE FROM blocks WHERE created_at = ?", (MARK,)).rowcount
        m = conn.execute("DELETE FROM mutes WHERE created_at = ?", (MARK,)).rowcount
    print(f"RESULT blocks_removed={b} mutes_removed={m}")
    sys.exit(0)
names = [line.split()[2] for line in open(sessions) if len(line.split()) >= 3]
ids = dict(conn.execute("SELECT username, id FROM users"))
everyone = [i for i in ids.values()]
rng = random.Random(18)
blocks = mutes = 0
with conn:
    for name in dict.fromkeys(names):
        me = ids[name]
        near = {r[0] for r in conn.execute(
            "SELECT followee_id FROM follows WHERE follower_id = ?1 UNION SELECT follower_id FROM follows WHERE followee_id = ?1",
            (me,))}
        far = [u for u in everyone if u != me and u not in near]
        others = [u for u in everyone if u != me]
        for u in rng.sample(far, min(n, len(far))):
            blocks += conn.execute("INSERT OR IGNORE INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)",
                                   (me, u, MARK)).rowcount
        for u in rng.sample(others, min(n, len(others))):
            mutes += conn.execute("INSERT OR IGNORE INTO mutes (muter_id, muted_id, created_at) VALUES (?, ?, ?)",
                                  (me, u, MARK)).rowcount
print(f"RESULT viewers={len(dict.fromkeys(names))} blocks={blocks} mutes={mutes}")

#!/usr/bin/env python3
"""Media for the backup-while-serving benchmark (issue 14).

    media.py make  STORE GIB      # once: GIB GiB of image-sized files in STORE
    media.py attach DATA STORE    # hard-link them into DATA/media and attach
                                  # each to a seeded post (attachments rows)

Files are random bytes (incompressible, as JPEGs are), 256 KiB to 4 MiB,
named by their SHA-256 the way Plaza stores media
(media/<first two hex digits>/<sha256>), so `plaza backup` copies and
checks them exactly as it does real uploads. `make` does nothing when STORE
already holds GIB GiB; `attach` links (no copy), so a fresh data folder per
run costs seconds, not 10 GB of writes.
"""
import hashlib
import os
import random
import sqlite3
import sys
import time


def files_in(store):
    out = []
    for sub in sorted(os.listdir(store)) if os.path.isdir(store) else []:
        for name in sorted(os.listdir(os.path.join(store, sub))):
            out.append((sub, name))
    return out


def make(store, gib):
    want = int(float(gib) * (1 << 30))
    have = sum(os.path.getsize(os.path.join(store, s, n)) for s, n in files_in(store))
    if have >= want:
        return
    rng = random.Random(11)
    t0 = time.time()
    while have < want:
        size = min(rng.randint(256 << 10, 4 << 20), want - have)
        data = os.urandom(size)
        h = hashlib.sha256(data).hexdigest()
        os.makedirs(os.path.join(store, h[:2]), exist_ok=True)
        with open(os.path.join(store, h[:2], h), "wb") as f:
            f.write(data)
        have += size
    print(f"media: wrote {have / (1 << 30):.1f} GiB in {time.time() - t0:.0f} s", file=sys.stderr)


def attach(data, store):
    files = files_in(store)
    db = sqlite3.connect(os.path.join(data, "plaza.db"))
    posts = [r for r in db.execute(
        "SELECT id, author_id, created_at FROM posts WHERE status = 'published' AND repost_of IS NULL "
        "ORDER BY random() LIMIT ?", (len(files),))]
    rows = []
    for (sub, name), (post, owner, at) in zip(files, posts):
        os.makedirs(os.path.join(data, "media", sub), exist_ok=True)
        dst = os.path.join(data, "media", sub, name)
        if not os.path.exists(dst):
            os.link(os.path.join(store, sub, name), dst)
        size = os.path.getsize(dst)
        rows.append((owner, post, size, name, at))
    with db:
        db.executemany(
            "INSERT INTO attachments (owner_id, post_id, purpose, kind, mime, size, width, height, sha256, created_at) "
            "VALUES (?, ?, 'post', 'image', 'image/jpeg', ?, 2048, 1536, ?, ?)", rows)
    total = sum(r[2] for r in rows)
    print(f"RESULT media_files={len(rows)} media_gib={total / (1 << 30):.2f}")


if __name__ == "__main__":
    {"make": make, "attach": attach}[sys.argv[1]](*sys.argv[2:])

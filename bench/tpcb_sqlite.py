#!/usr/bin/env python3
"""A TPC-B-like transaction rate on SQLite, the baseline of the enrollment benchmark: pgbench's default
script (update an account, read it, update a teller and a branch, insert a history row) in one
transaction, on a file database in WAL mode like the server's, from one connection (SQLite runs one
writer at a time, so one connection is its best case). Prints transactions per second."""
import os, random, sqlite3, sys, tempfile, time

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
scale = 10
path = os.path.join(tempfile.mkdtemp(prefix="tpcb-"), "tpcb.sqlite")
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.executescript("""
CREATE TABLE branches (bid INTEGER PRIMARY KEY, bbalance INTEGER, filler TEXT);
CREATE TABLE tellers (tid INTEGER PRIMARY KEY, bid INTEGER, tbalance INTEGER, filler TEXT);
CREATE TABLE accounts (aid INTEGER PRIMARY KEY, bid INTEGER, abalance INTEGER, filler TEXT);
CREATE TABLE history (tid INTEGER, bid INTEGER, aid INTEGER, delta INTEGER, mtime TEXT, filler TEXT);
""")
db.execute("BEGIN")
db.executemany("INSERT INTO branches VALUES (?, 0, '')", [(b,) for b in range(1, scale + 1)])
db.executemany("INSERT INTO tellers VALUES (?, ?, 0, '')", [(t, (t - 1) // 10 + 1) for t in range(1, 10 * scale + 1)])
db.executemany("INSERT INTO accounts VALUES (?, ?, 0, '')", [(a, (a - 1) // 100000 + 1) for a in range(1, 100000 * scale + 1)])
db.execute("COMMIT")
rng = random.Random(1)
done = 0
start = time.perf_counter()
end = start + seconds
while time.perf_counter() < end:
    aid, tid, bid, delta = rng.randint(1, 100000 * scale), rng.randint(1, 10 * scale), rng.randint(1, scale), rng.randint(-5000, 5000)
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE accounts SET abalance = abalance + ? WHERE aid = ?", (delta, aid))
    db.execute("SELECT abalance FROM accounts WHERE aid = ?", (aid,)).fetchone()
    db.execute("UPDATE tellers SET tbalance = tbalance + ? WHERE tid = ?", (delta, tid))
    db.execute("UPDATE branches SET bbalance = bbalance + ? WHERE bid = ?", (delta, bid))
    db.execute("INSERT INTO history VALUES (?, ?, ?, ?, datetime('now'), '')", (tid, bid, aid, delta))
    db.execute("COMMIT")
    done += 1
elapsed = time.perf_counter() - start
print(f"{done / elapsed:.1f}")
db.close()
os.remove(path)

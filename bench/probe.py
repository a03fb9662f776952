"""Latencies of the catalogue search and /readyz while something else runs: two clients in a loop until the file
named by argv[2] exists; prints "search_p99_ms readyz_p99_ms search_n readyz_n errors"."""
import os
import sys
import threading
import time
import urllib.request

base, stop = sys.argv[1], sys.argv[2]
results = {"search": [], "readyz": []}
errors = [0]


def loop(kind, url):
    while not os.path.exists(stop):
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                r.read()
            results[kind].append((time.perf_counter() - t) * 1000)
        except Exception:
            errors[0] += 1
        time.sleep(0.02)


queries = ["робототехника", "шахматы", "танцы", "футбол", "рисование"]
threads = [threading.Thread(target=loop, args=("search", f"{base}/api/v1/catalog/search?q={urllib.parse.quote(q)}")) for q in queries[:2]]
threads.append(threading.Thread(target=loop, args=("readyz", f"{base}/readyz")))
import urllib.parse  # noqa: E402
for t in threads:
    t.start()
for t in threads:
    t.join()


def p99(xs):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))]


print(f"{p99(results['search']):.1f} {p99(results['readyz']):.1f} {len(results['search'])} {len(results['readyz'])} {errors[0]}")

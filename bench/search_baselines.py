#!/usr/bin/env python3
"""Baselines for the catalogue search benchmark, over the same exported catalogue and the same queries:

  queries  CATALOG.jsonl OUT.txt [N]    1–2-word inflected queries: real Russian word forms (the OpenCorpora forms of
                                        the stemmer fixture) whose Snowball stem occurs in the catalogue's names and
                                        activity kinds, in a form different from the catalogue's own, 1 in 10 with one
                                        wrong letter
  tantivy  CATALOG.jsonl QUERIES.txt    PyPI tantivy with the Russian Snowball stemmer, BM25, top 20
  postgres CATALOG.jsonl QUERIES.txt DSN  PostgreSQL full-text search: the `russian` configuration, a weighted
                                        tsvector with a GIN index, ts_rank, top 20

Each engine prints one JSON line: engine, documents, queries, qps, p50_ms, p99_ms, load_s."""
import json
import os
import random
import re
import sys
import time

WORD = re.compile(r"[а-яё]+", re.I)


def load(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not r.get("deleted"):
                yield r


KINDS = {}


def kind_titles():
    # The classifier titles, for the kinds field (same text the in-process index holds).
    return KINDS


def report(engine, docs, times, load_s, hits):
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    print(json.dumps({"engine": engine, "documents": docs, "queries": len(times), "qps": len(times) / sum(times),
                      "p50_ms": pct(0.5) * 1000, "p99_ms": pct(0.99) * 1000, "load_s": load_s, "hits": hits}, sort_keys=True))


def make_queries(catalog, out, n=1000):
    import snowballstemmer
    stem = snowballstemmer.stemmer("russian").stemWord
    fixture = os.path.join(os.path.dirname(__file__), "..", "Tests", "DomainTests", "Fixtures", "russian-stems.tsv")
    forms_by_stem = {}
    with open(fixture, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and len(parts[0]) >= 4:
                forms_by_stem.setdefault(parts[1], set()).add(parts[0])
    seen_forms, stems = set(), {}
    for r in catalog:
        for w in WORD.findall(r["name"].lower()):
            w = w.replace("ё", "е")
            seen_forms.add(w)
            if len(w) >= 4:
                stems.setdefault(stem(w), set()).add(w)
    pool = []
    for s, own in stems.items():
        if len(s) < 4:
            continue
        # Other forms of the same word: same stem, at most four letters of ending (not a different word that
        # the stemmer happens to cut to the same letters).
        other = sorted(f for f in forms_by_stem.get(s, ()) if f not in own and len(f) - len(s) <= 4)
        pool.extend(other if other else sorted(own))
    pool = sorted(set(pool))
    rnd = random.Random(20261122)
    queries = []
    for i in range(n):
        words = [rnd.choice(pool) for _ in range(1 if rnd.random() < 0.6 else 2)]
        if rnd.random() < 0.1:
            w = words[0]
            if len(w) >= 6:
                k = rnd.randrange(1, len(w) - 1)
                words[0] = w[:k] + rnd.choice("аеиоу") + w[k + 1:]
        queries.append(" ".join(words))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    print(json.dumps({"queries": len(queries), "vocabulary": len(pool)}), file=sys.stderr)


def bench_tantivy(catalog_path, queries_path):
    import tantivy
    t0 = time.perf_counter()
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("russian")).build())
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("name", "kinds", "extra", "annotation"):
        sb.add_text_field(name, stored=False, tokenizer_name="ru")
    schema = sb.build()
    index = tantivy.Index(schema)
    index.register_tokenizer("ru", analyzer)
    writer = index.writer(heap_size=256_000_000)
    docs = 0
    for r in load(catalog_path):
        writer.add_document(tantivy.Document(
            id=r["id"], name=r["name"], kinds=" ".join(r.get("activityKindTitles") or r.get("activityKinds") or []),
            extra=r.get("directionTitle", "") + " " + r["provider"].get("name", ""), annotation=r.get("annotation", "") + " " + " ".join(m["name"] for m in r.get("modules", []))))
        docs += 1
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    load_s = time.perf_counter() - t0
    queries = [q for q in open(queries_path, encoding="utf-8").read().split("\n") if q]
    boosts = {"name": 3.0, "kinds": 2.0, "extra": 1.0, "annotation": 1.0}

    def run(q):
        query = index.parse_query_lenient(q, ["name", "kinds", "extra", "annotation"], field_boosts=boosts, fuzzy_fields={})[0]
        return len(searcher.search(query, 20).hits)

    hits = sum(run(q) for q in queries)  # warm-up
    times = []
    for _ in range(3):
        for q in queries:
            t = time.perf_counter()
            hits += run(q)
            times.append(time.perf_counter() - t)
    report("tantivy", docs, times, load_s, hits)


def bench_postgres(catalog_path, queries_path, dsn):
    import psycopg
    t0 = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_programs")
        conn.execute("CREATE TABLE bench_programs (id text PRIMARY KEY, name text, kinds text, extra text, annotation text, doc tsvector)")
        with conn.cursor().copy("COPY bench_programs (id, name, kinds, extra, annotation) FROM STDIN") as cp:
            docs = 0
            for r in load(catalog_path):
                cp.write_row((r["id"], r["name"], " ".join(r.get("activityKindTitles") or r.get("activityKinds") or []),
                              r.get("directionTitle", "") + " " + r["provider"].get("name", ""), r.get("annotation", "") + " " + " ".join(m["name"] for m in r.get("modules", []))))
                docs += 1
        conn.execute("""UPDATE bench_programs SET doc = setweight(to_tsvector('russian', name), 'A') ||
                        setweight(to_tsvector('russian', kinds), 'B') || setweight(to_tsvector('russian', extra || ' ' || annotation), 'C')""")
        conn.execute("CREATE INDEX bench_programs_doc ON bench_programs USING gin (doc)")
        conn.execute("ANALYZE bench_programs")
        load_s = time.perf_counter() - t0
        queries = [q for q in open(queries_path, encoding="utf-8").read().split("\n") if q]
        sql = """SELECT id FROM bench_programs, to_tsquery('russian', %s) q WHERE doc @@ q ORDER BY ts_rank(doc, q) DESC LIMIT 20"""
        cur = conn.cursor()

        def run(q):
            # Words OR-ed, as the other engines do.
            terms = " | ".join(WORD.findall(q.lower())) or "''"
            cur.execute(sql, (terms,), prepare=True)
            return len(cur.fetchall())

        hits = sum(run(q) for q in queries)
        times = []
        for q in queries:
            t = time.perf_counter()
            hits += run(q)
            times.append(time.perf_counter() - t)
        report("postgresql-fts", docs, times, load_s, hits)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "queries":
        make_queries(list(load(sys.argv[2])), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1000)
    elif cmd == "tantivy":
        bench_tantivy(sys.argv[2], sys.argv[3])
    elif cmd == "postgres":
        bench_postgres(sys.argv[2], sys.argv[3], sys.argv[4])

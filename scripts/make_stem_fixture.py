#!/usr/bin/env python3
"""Writes Tests/DomainTests/Fixtures/russian-stems.tsv: 60 000 real Russian word forms (a seeded sample of
the OpenCorpora dictionary shipped with pymorphy3-dicts-ru) and their stems by the reference Snowball
implementation (PyPI snowballstemmer). Run: pip install snowballstemmer pymorphy3 pymorphy3-dicts-ru."""
import os, random
import pymorphy3, snowballstemmer

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
m = pymorphy3.MorphAnalyzer()
words = set()
for w, *_ in m.dictionary.iter_known_words():
    if w.isalpha():
        words.add(w)
    if len(words) > 3_000_000:
        break
random.seed(7)
sample = random.sample(sorted(words), 60000)
extra = ["робототехника", "робототехникой", "шахматы", "шахматный", "живопись", "живописью", "вокал", "вокалом",
         "хореография", "ёлка", "ёжики", "плавание", "программирование", "туризм", "краеведение", "театральный",
         "театр", "английский", "самбо", "дзюдо", "футбол"]
stemmer = snowballstemmer.stemmer("russian")
with open(os.path.join(root, "Tests", "DomainTests", "Fixtures", "russian-stems.tsv"), "w", encoding="utf-8") as f:
    for w in sorted(set(sample + extra)):
        f.write(f"{w}\t{stemmer.stemWord(w)}\n")

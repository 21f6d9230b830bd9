"""Corroboration speed: 100,000 claims from 20,000 articles, clustered with their origins.

Run by hand: python bench/corroborate_bench.py [claims]. The claims are generated: facts
made of words drawn from a Zipf-like vocabulary (so that common words are shared by
thousands of claims, as in a real corpus), with numbers and places; each fact is reported
by one to a dozen articles, each report rewording it (words dropped, others added, the
order shuffled in part), attributed to outlets of the default registry, officials or
anonymous sources relayed by an outlet. The target: under a minute on the project's
2-core machine.
"""

from __future__ import annotations

import random
import sys
import time

import pandas as pd

from attribution.corroborate import corroborate
from attribution.registry import load_registry

CLAIMS = 100_000
CLAIMS_PER_ARTICLE = 5
VOCABULARY = 40_000
FUNCTION_WORDS = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "et",
    "a",
    "été",
    "ont",
    "dans",
    "par",
    "pour",
    "sur",
    "un",
    "une",
    "selon",
    "que",
]
PLACES = [f"Ville{k}" for k in range(2_000)]


def word(k: int) -> str:
    letters = "bcdfgklmnprstvz"
    vowels = "aeiou"
    out = []
    while True:
        k, r = divmod(k, len(letters) * len(vowels))
        out.append(letters[r % len(letters)] + vowels[r // len(letters)])
        if k == 0:
            return "".join(out)


def zipf_words(rng: random.Random, n: int) -> list[str]:
    # rank r drawn with weight 1/r: a handful of words are everywhere, most are rare
    return [word(int(VOCABULARY ** rng.random())) for _ in range(n)]


def fact(rng: random.Random) -> list[str]:
    words = zipf_words(rng, rng.randint(8, 16))
    words.insert(rng.randrange(len(words)), rng.choice(PLACES))
    for _ in range(rng.randint(0, 3)):
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 5000)))
    return words


def reworded(rng: random.Random, words: list[str]) -> str:
    kept = [w for w in words if w[0].isdigit() or rng.random() > 0.15]
    kept += zipf_words(rng, rng.randint(0, 4))
    for _ in range(len(kept) // 3):
        i = rng.randrange(len(kept))
        kept.insert(i, rng.choice(FUNCTION_WORDS))
    if len(kept) > 3:
        i = rng.randrange(len(kept) - 3)
        kept[i : i + 3] = rng.sample(kept[i : i + 3], 3)
    return " ".join(kept)


def claims_table(n: int, rng: random.Random) -> pd.DataFrame:
    registry = load_registry(use_user_file=False)
    outlets = sorted(registry.outlets)
    texts: list[str] = []
    while len(texts) < n:
        words = fact(rng)
        for _ in range(min(n - len(texts), int(12 ** rng.random()))):
            texts.append(reworded(rng, words))
    rng.shuffle(texts)
    rows = []
    for k, text in enumerate(texts):
        kind = rng.choice(["outlet", "outlet", "official", "anonymous"])
        outlet = rng.choice(outlets) if kind == "outlet" else None
        via = rng.choice(outlets) if kind == "anonymous" else None
        rows.append(
            {
                "article": f"a{k // CLAIMS_PER_ARTICLE}",
                "attribution_id": f"c{k}",
                "claim": text,
                "claimant": {
                    "outlet": outlet,
                    "official": f"le ministre {rng.randint(1, 300)}",
                }.get(kind, "des sources"),
                "source_kind": kind,
                "outlet": outlet,
                "via": via,
                "publisher": outlets[(k // CLAIMS_PER_ARTICLE) % len(outlets)],
                "date_published": f"2026-03-{1 + k % 28:02d}",
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else CLAIMS
    rng = random.Random(18)
    claims = claims_table(n, rng)
    registry = load_registry(use_user_file=False)
    start = time.perf_counter()
    clusters = corroborate(claims, registry)
    elapsed = time.perf_counter() - start
    clustered = sum(len(c.reports) for c in clusters)
    flagged = sum(1 for c in clusters if c.flags)
    print(
        f"{n} claims from {claims['article'].nunique()} articles: {len(clusters)} clusters "
        f"({clustered} claims, {flagged} flagged) in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()

"""Matching speed: 100,000 source mentions against a 1,000-outlet registry.

Run by hand: python bench/match_bench.py. The registry is the default one padded with
synthetic outlets (transliteration-like names); mentions mix exact names, descriptor
forms, misspellings and names no outlet has, the way a corpus does.
"""

from __future__ import annotations

import random
import string
import time

from attribution.registry import Alias, Outlet, Registry, load_registry

OUTLETS = 1000
MENTIONS = 100_000


def synthetic_name(rng: random.Random) -> str:
    syllables = ["al", "ma", "ra", "na", "sha", "qa", "di", "ya", "ha", "ba", "ta", "za", "ou"]
    return "Al-" + "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def padded_registry(rng: random.Random) -> Registry:
    base = load_registry(use_user_file=False)
    outlets = dict(base.outlets)
    while len(outlets) < OUTLETS:
        name = synthetic_name(rng)
        slug = name.lower() + "-" + "".join(rng.choice(string.ascii_lowercase) for _ in range(4))
        outlets[slug] = Outlet(
            id=slug,
            name=name,
            aliases=(Alias(text=name.replace("-", " "), lang="fr"),),
            type="website",
        )
    return Registry(outlets)


def mentions(registry: Registry, rng: random.Random) -> list[str]:
    names = [n for o in registry.outlets.values() for n in o.names]
    out = []
    for _ in range(MENTIONS):
        name = rng.choice(names)
        kind = rng.random()
        if kind < 0.3:
            out.append(name)
        elif kind < 0.6:
            out.append(f"le quotidien {rng.choice(['libanais', 'syrien', 'égyptien'])} {name}")
        elif kind < 0.8:
            k = rng.randrange(len(name))
            out.append(name[:k] + rng.choice("aeiou") + name[k + 1 :])
        else:
            who = rng.choice(["un responsable", "des sources", "le ministre"])
            out.append(f"{who} {rng.randint(1, 10**6)}")
    return out


def main() -> None:
    rng = random.Random(42)
    registry = padded_registry(rng)
    queries = mentions(registry, rng)
    start = time.perf_counter()
    matcher = registry.matcher
    built = time.perf_counter()
    linked = sum(matcher.match(q).outlet is not None for q in queries)
    done = time.perf_counter()
    print(f"outlets                 {len(registry.outlets):>10,}")
    print(f"mentions                {len(queries):>10,}")
    print(f"distinct mentions       {len(set(queries)):>10,}")
    print(f"index build             {built - start:>10.3f} s")
    print(f"matching                {done - built:>10.3f} s")
    print(f"mentions per second     {len(queries) / (done - built):>10,.0f}")
    print(f"linked to an outlet     {linked:>10,}")


if __name__ == "__main__":
    main()

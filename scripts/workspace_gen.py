"""Write a national-scale workspace fast, for benchmarks: `generate_national(root)`.

Every answer file is the real answer template (`assessment.template.render_template`)
with values filled in, so files are as large and as commented as a partner's. Speed
comes from rendering the template once per role and compiling it into literal parts
and value slots; a file is then one `str.join`, with no YAML writer and no pydantic.
The output is deterministic for a given seed.

Usage as a script: `python scripts/workspace_gen.py DIR [--municipalities N]
[--respondents N] [--rounds N] [--seed N] [--key-figures]`. `add_key_figures` gives every
municipality all key figures in every round and opts it in to the comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assessment.instrument import Questionnaire, load_questionnaire
from assessment.paths import ANSWERS_DIR, MUNICIPALITIES_DIR, MUNICIPALITY_FILE, SETTINGS_FILE
from assessment.scaffold import relative_schema
from assessment.schema import SCHEMA_DIR, SCHEMA_FILES, write_schemas
from assessment.template import render_template
from assessment.yamlio import quote_yaml_string

Slot = tuple[str, str]  # (top-level key, key); "" for a top-level key itself

# The partners of one municipality, in this order; more respondents repeat the list.
ROLE_MIX = (
    "huisartsenpraktijk",
    "jgz-0-4",
    "jgz-4-19",
    "wijkteam",
    "jeugd-en-gezinsteam",
    "school-po",
    "school-vo",
    "jeugdhulpaanbieder",
    "gemeente",
    "huisartsenpraktijk",
    "school-po",
    "kinderopvang",
    "jeugd-ggz",
    "jeugdbescherming",
    "veilig-thuis",
    "jeugdhulpaanbieder",
    "leerplicht",
    "welzijn",
    "informele-steun",
    "huisartsenpraktijk",
)

# Invented organisation names per role; a role that occurs more often gets a number.
ORGANISATIONS = {
    "huisartsenpraktijk": ("Huisartsenpraktijk De Eik", "Gezondheidscentrum Het Plein"),
    "jgz-0-4": ("Consultatiebureau Centrum",),
    "jgz-4-19": ("JGZ jeugdarts en jeugdverpleegkundige",),
    "wijkteam": ("Wijkteam Noord", "Wijkteam Zuid"),
    "jeugd-en-gezinsteam": ("Jeugd- en gezinsteam",),
    "school-po": ("OBS De Vlinder", "CBS De Zaaier"),
    "school-vo": ("Scholengemeenschap Het Baken",),
    "kinderopvang": ("Kinderopvang Het Speelhuis",),
    "jeugdhulpaanbieder": ("Jeugdhulp De Overstap", "Gezinshuizen De Haard"),
    "jeugd-ggz": ("Jeugd-ggz De Horizon",),
    "jeugdbescherming": ("Jeugdbescherming regio",),
    "veilig-thuis": ("Veilig Thuis regio",),
    "gemeente": ("Gemeente, team jeugd",),
    "leerplicht": ("Leerplicht en RMC",),
    "welzijn": ("Jongerenwerk De Plek",),
    "informele-steun": ("Steungezinnen in de wijk",),
}

COMMENTS = (
    "De korte lijnen met het wijkteam helpen: we kunnen altijd even bellen.",
    "Te veel overleg over hetzelfde gezin. Eén vast casusoverleg zou genoeg zijn.",
    "De wachtlijsten bij de specialistische hulp zijn lang; gezinnen wachten zonder steun.",
    "Warme overdracht lukt meestal, maar bij spoed gaat het nog op papier.",
    'Ouders vragen ons: "wie is nu de regisseur?" Dat staat als #1 op onze lijst.',
    "Een gezamenlijk platform zoals OZOverbindzorg zou veel mailen schelen.",
    "Het inloopspreekuur op het consultatiebureau wordt goed bezocht.",
    "Sinds het spreekuur in de huisartsenpraktijk verwijzen we minder door.",
    "We weten vaak niet wat we volgens de privacyregels mogen delen.",
    "De afspraken staan op papier, maar niet iedereen kent ze.",
)
GOES_WELL = (
    "We kennen elkaar en bellen elkaar makkelijk.",
    "De warme overdracht tussen de eerste lijn en de jeugdhulp.",
    "Het inloopspreekuur op het consultatiebureau.",
    "De themabijeenkomsten twee keer per jaar.",
)
CHANGE_FIRST = (
    "Minder overleg en minder formulieren.",
    "Steun voor gezinnen op de wachtlijst.",
    "Duidelijke afspraken over regie na een verwijzing.",
    "De huisartsen beter betrekken.",
)
IMPORTANCE = ("2", "3", "3", "4", "4", "4", "5", "5")

# A `key: value` line: the value is a plain token or a double-quoted string, and may be
# followed by a comment.
_VALUE_LINE = re.compile(
    r'^(?P<indent> *)(?P<key>[a-z0-9_-]+): (?P<value>"(?:[^"\\]|\\.)*"|[^\s#][^#]*?)(?=  #|$)'
)
_TOP_KEY = re.compile(r"^(?P<key>[a-z_]+):")


@dataclass(frozen=True)
class CompiledTemplate:
    """A rendered template cut into literal parts around its value slots."""

    parts: tuple[str, ...]  # len(slots) + 1 literal pieces
    slots: tuple[Slot, ...]
    defaults: tuple[str, ...]  # the template's own value of each slot

    @classmethod
    def compile(cls, text: str) -> CompiledTemplate:
        """Find every `key: value` line of a rendered template and make its value a slot."""
        parts: list[str] = []
        slots: list[Slot] = []
        defaults: list[str] = []
        pending: list[str] = []
        section = ""
        for line in text.split("\n"):
            top = _TOP_KEY.match(line)
            if top is not None:
                section = top.group("key")
            found = _VALUE_LINE.match(line)
            if found is None:
                pending.append(line + "\n")
                continue
            pending.append(line[: found.start("value")])
            parts.append("".join(pending))
            pending = [line[found.end("value") :] + "\n"]
            key = found.group("key")
            slots.append(("", key) if not found.group("indent") else (section, key))
            defaults.append(found.group("value"))
        tail = "".join(pending)
        parts.append(tail[:-1])  # split() gave one line too many
        return cls(tuple(parts), tuple(slots), tuple(defaults))

    def fill(self, values: Mapping[Slot, str]) -> str:
        """The text with `values` in their slots and the template's own values elsewhere."""
        out = [self.parts[0]]
        for slot, default, part in zip(self.slots, self.defaults, self.parts[1:], strict=True):
            out.append(values.get(slot, default))
            out.append(part)
        return "".join(out)


def _slug(text: str) -> str:
    """A slug of an ascii organisation name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _respondents(count: int) -> list[tuple[str, str, str]]:
    """(id, organisation, role) of `count` partners, the same in every municipality."""
    seen: dict[str, int] = {}
    result = []
    for index in range(count):
        role = ROLE_MIX[index % len(ROLE_MIX)]
        nth = seen.get(role, 0)
        seen[role] = nth + 1
        names = ORGANISATIONS[role]
        name = names[nth % len(names)]
        if nth >= len(names):
            name = f"{name} {nth // len(names) + 1}"
        result.append((_slug(name), name, role))
    return result


def _round_slugs(rounds: int) -> list[str]:
    """`rounds` autumn rounds ending in 2025, oldest first."""
    return [f"{2025 - rounds + 1 + i}-najaar" for i in range(rounds)]


def _municipality_text(number: int, rng: random.Random, roles: Sequence[str]) -> str:
    """The `gemeente.yaml` of test municipality `number`."""
    inhabitants = rng.choice((9_000, 18_000, 32_000, 55_000, 90_000, 160_000))
    size = "klein" if inhabitants < 25_000 else "middelgroot" if inhabitants < 100_000 else "groot"
    expected = "".join(f"  - {role}\n" for role in dict.fromkeys(roles))
    return (
        f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{SCHEMA_FILES['gemeente']}\n"
        "# Een verzonnen testgemeente voor de benchmark van Ketenscan.\n"
        f'name: "Testgemeente {number:03d}"\n'
        f"size: {size}\n"
        f'region: "Testregio {(number - 1) // 12 + 1:02d}"\n'
        f"inhabitants: {inhabitants}\n"
        "expected_roles:\n"
        f"{expected}"
    )


def generate_national(
    root: Path, municipalities: int = 342, respondents: int = 20, rounds: int = 2, seed: int = 1
) -> int:
    """Write a workspace of `municipalities` × `rounds` × `respondents` answer files.

    Removes `root/gemeenten/` first. Returns the number of answer files written.
    """
    questionnaire: Questionnaire = load_questionnaire()
    instrument = questionnaire.instrument
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / MUNICIPALITIES_DIR, ignore_errors=True)
    write_schemas(questionnaire, root / SCHEMA_DIR)
    (root / SETTINGS_FILE).write_text(
        f"# yaml-language-server: $schema={SCHEMA_DIR}/{SCHEMA_FILES['ketenscan']}\n"
        f'title: "Ketenscan benchmark — {municipalities} testgemeenten"\n'
        "audience: internal\n",
        encoding="utf-8",
    )
    people = _respondents(respondents)
    round_slugs = _round_slugs(rounds)
    factors = [(f.id, [s.id for s in f.statements]) for f in instrument.factors()]
    levels = {
        role: "[" + ", ".join(questionnaire.roles[role].typical_levels) + "]"
        for _, _, role in people
    }
    comments = [quote_yaml_string(text) for text in COMMENTS]
    goes_well = [quote_yaml_string(text) for text in GOES_WELL]
    change_first = [quote_yaml_string(text) for text in CHANGE_FIRST]
    dates = {
        slug: [
            (dt.date(int(slug[:4]), 9, 15) + dt.timedelta(days=day)).isoformat()
            for day in range(60)
        ]
        for slug in round_slugs
    }
    # Every answer folder is at the same depth, so one schema path serves all.
    schema = relative_schema(root / MUNICIPALITIES_DIR / "m" / "r" / ANSWERS_DIR, root)
    templates: dict[str, CompiledTemplate] = {}
    for _, _, role in people:
        if role not in templates:
            templates[role] = CompiledTemplate.compile(
                render_template(
                    questionnaire,
                    municipality="m",
                    round_slug="r",
                    respondent="x",
                    role=role,
                    schema=schema,
                )
            )
    written = 0
    for number in range(1, municipalities + 1):
        slug = f"gemeente-{number:03d}"
        folder = root / MUNICIPALITIES_DIR / slug
        folder.mkdir(parents=True)
        (folder / MUNICIPALITY_FILE).write_text(
            _municipality_text(number, rng, [role for _, _, role in people]), encoding="utf-8"
        )
        profile = {factor: rng.uniform(1.6, 4.2) for factor, _ in factors}
        for round_index, round_slug in enumerate(round_slugs):
            answers = folder / round_slug / ANSWERS_DIR
            answers.mkdir(parents=True)
            for person, organisation, role in people:
                values: dict[Slot, str] = {
                    ("", "municipality"): slug,
                    ("", "round"): round_slug,
                    ("respondent", "id"): person,
                    ("respondent", "organisation"): quote_yaml_string(organisation),
                    ("", "submitted"): rng.choice(dates[round_slug]),
                    ("", "levels_offered"): levels[role],
                }
                lean = rng.uniform(-0.5, 0.5) + 0.15 * round_index
                for factor, statements in factors:
                    level = profile[factor] + lean
                    for statement in statements:
                        if rng.random() >= 0.05:
                            score = int(level + rng.random() * 2.4 - 0.7)
                            values[("answers", statement)] = str(min(5, max(1, score)))
                    if rng.random() < 0.85:
                        values[("importance", factor)] = rng.choice(IMPORTANCE)
                    if rng.random() < 0.8:
                        values[("ambition", factor)] = str(min(5, max(1, int(level + 1.5))))
                    if rng.random() < 0.08:
                        values[("comments", factor)] = rng.choice(comments)
                if rng.random() < 0.5:
                    values[("open", "goes_well")] = rng.choice(goes_well)
                if rng.random() < 0.6:
                    values[("open", "change_first")] = rng.choice(change_first)
                (answers / f"{person}.yaml").write_text(
                    templates[role].fill(values), encoding="utf-8"
                )
                written += 1
    return written


def _share(rng: random.Random, low: int, high: int, share: tuple[float, float]) -> str:
    denominator = rng.randint(low, high)
    numerator = int(denominator * rng.uniform(*share))
    return f"    numerator: {numerator}\n    denominator: {denominator}\n"


def add_key_figures(root: Path, seed: int = 1) -> Path:
    """Every municipality of a generated workspace opts in to the comparison and gets all
    eight key figures in every round (plausible invented counts). Returns `root`."""
    rng = random.Random(f"{seed}:kengetallen")
    for folder in sorted((root / MUNICIPALITIES_DIR).iterdir()):
        info = folder / MUNICIPALITY_FILE
        text = info.read_text(encoding="utf-8")
        info.write_text(text + "benchmark: true\n", encoding="utf-8")
        found = re.search(r"^inhabitants: (\d+)$", text, re.MULTILINE)
        youths = int(found.group(1)) // 5 if found else 5_000
        for round_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            figures = {
                "hulp-zonder-verwijzing": _share(rng, 200, 3_000, (0.10, 0.45)),
                "verwijzingen-via-huisarts": _share(rng, 100, 1_500, (0.20, 0.50)),
                "huisbezoek-binnen-drie-dagen": _share(rng, 50, 600, (0.55, 0.90)),
                "uithuisplaatsing-voorkomen": _share(rng, 5, 40, (0.05, 0.35)),
                "uithuisplaatsingen-per-1000": _share(rng, youths, youths, (0.002, 0.005)),
                "voortijdig-beeindigd": _share(rng, 50, 500, (0.02, 0.12)),
                "jeugdigen-in-zorg-per-1000": _share(rng, youths, youths, (0.08, 0.14)),
                "gemiddelde-duur-in-zorg": _share(rng, 50, 900, (9.0, 20.0)),
            }
            body = "".join(f"  {key}:\n{value}" for key, value in figures.items())
            (round_dir / "indicatoren.yaml").write_text(
                f"municipality: {folder.name}\nround: {round_dir.name}\n"
                f'period: "{round_dir.name[:4]}"\nvalues:\n{body}',
                encoding="utf-8",
            )
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Generate a national workspace from the command line."""
    parser = argparse.ArgumentParser(description="Schrijf een landelijke testwerkruimte.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--municipalities", type=int, default=342)
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--key-figures", action="store_true", help="ook kengetallen en benchmark: true"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count = generate_national(
        args.root, args.municipalities, args.respondents, args.rounds, args.seed
    )
    if args.key_figures:
        add_key_figures(args.root, args.seed)
    print(f"{count} antwoordbestanden in {time.perf_counter() - start:.1f} s naar {args.root}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

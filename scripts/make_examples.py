"""Write the demo workspace (`examples/`): three fictional municipalities, two rounds each.

Usage: `python scripts/make_examples.py [FOLDER]` (default `examples`). The output is
deterministic: every random draw comes from `random.Random` seeded with a fixed string
per municipality, round and organisation, no date of today is used, and re-running the
script gives byte-identical files. The old `gemeenten/` folder is removed first.

Lindeloo (klein), Rivierstede (middelgroot) and Havenmeer (groot) are invented, as are
their region and every organisation. The answer files are the real answer template
(`assessment.template.render_template`) with the values filled in line by line, so the
Dutch guidance comments stay exactly as a partner would see them.

The data tell six stories a facilitator should recognise; `check_stories` asserts them,
so an edit that breaks one fails loudly, and the README lists the figures:

1. Sharp disagreement: in Rivierstede the partners that hold the regie themselves
   (sociaal team, Buurtzorg Jong, gemeente, Veilig Thuis, consultatiebureau) score
   `regie` 4-5 in 2025-najaar, the huisartsen, schools and specialist help 1-2: the
   factor's consensus falls far below 0.6.
2. A missing key partner: Lindeloo expects jeugdbescherming, which never answers;
   Havenmeer's two huisartsenpraktijken answered in 2024-najaar but not in 2025-najaar.
3. An uncovered intervention level: nobody in Lindeloo offers `overname-opvoeding`
   (no pleegzorg or gezinshuis in town), nobody in Rivierstede offers
   `intensief-specialistisch`.
4. "Weet niet" clusters: schools, huisartsen and kinderopvang leave most
   `informatie-uitwisseling` and all `inkoopmodel` statements empty.
5. Change between rounds: Lindeloo improves clearly on `regie` and
   `toerusting-eerstelijn` (a spreekuur in the huisartsenpraktijk, a vaste regisseur);
   Havenmeer declines on `samenwerkingscultuur` and `vertrouwen` after the wijkteams
   were reorganised and new contracts came in.
6. Comments and open answers in plain Dutch about real practices; one comment holds a
   quote, a colon and a `#` to exercise the escaping.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any, Literal

from assessment.analysis import analyse
from assessment.analysis.indicators import rounded
from assessment.instrument import Questionnaire, load_questionnaire
from assessment.models import Action
from assessment.paths import (
    ANSWERS_DIR,
    MUNICIPALITIES_DIR,
    MUNICIPALITY_FILE,
    SETTINGS_FILE,
    WORKSHOP_FILE,
)
from assessment.scaffold import relative_schema
from assessment.schema import SCHEMA_DIR, SCHEMA_FILES, write_schemas
from assessment.template import render_template
from assessment.workshop_template import (
    FactorFigures,
    Point,
    WorkshopValues,
    relative_workshop_schema,
    render_workshop_template,
)
from assessment.workspace import load_workspace
from assessment.yamlio import quote_yaml_string

SEED = "ketenscan-demo-2"
EARLIER = "2024-najaar"
LATER = "2025-najaar"
ROUNDS = (EARLIER, LATER)
BOTH = "*"
TITLE = "Ketenscan demo — fictieve gemeenten"
VIEW = 0.5  # spread of an organisation's lasting view of one statement, the same each round
NOISE = 0.3  # spread of one answer around that view, new each round
OFFSET = 0.3  # spread of an organisation's general mildness or strictness
DONT_KNOW = 0.04  # chance of "weet niet" on any statement
# Story 4: roles that cannot see how information is shared or how care is bought.
CLUSTER_ROLES = frozenset({"huisartsenpraktijk", "school-po", "school-vo", "kinderopvang"})
CLUSTER_FACTORS = frozenset({"informatie-uitwisseling", "inkoopmodel"})
CLUSTER_DONT_KNOW = 0.9
SEASONS = {EARLIER: dt.date(2024, 9, 16), LATER: dt.date(2025, 9, 15)}
SEASON_DAYS = 60

Tone = Literal["+", "-", "0"]
Camp = Literal["laag", "hoog"]


def slugify(text: str) -> str:
    """A slug (SPEC §3) of an organisation name: ascii, lower case, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].rstrip("-")


@dataclass(frozen=True)
class Org:
    """A fictional partner organisation and what it says beyond its scores."""

    organisation: str
    role: str
    rounds: tuple[str, ...] = ROUNDS
    levels: tuple[str, ...] | None = None  # levels_offered; None = close to the role's
    camp: Camp | None = None  # side in the municipality's disputed factor (story 1)
    remarks: tuple[tuple[str, str, str], ...] = ()  # (round or BOTH, factor, comment)
    said: tuple[tuple[str, str, str], ...] = ()  # (round or BOTH, open question, answer)

    @property
    def id(self) -> str:
        """The respondent id: the slug of the organisation name."""
        return slugify(self.organisation)


@dataclass(frozen=True)
class Place:
    """A fictional municipality: its settings, profile, stories and partners."""

    slug: str
    name: str
    size: Literal["klein", "middelgroot", "groot"]
    region: str
    inhabitants: int
    expected_roles: tuple[str, ...]
    team: str  # how partners here call the first-line team, for the shared remarks
    team_role: str
    base: dict[str, float]  # mean level per factor in the earlier round
    change: dict[str, float]  # change per factor in the later round
    orgs: tuple[Org, ...]
    gaps: tuple[str, ...] = ()  # intervention levels nobody offers (story 3)
    disputed: str | None = None  # the factor the camps disagree on (story 1)


@dataclass(frozen=True)
class Remark:
    """A comment any partner (except `not_for`) could write on a factor."""

    factor: str
    text: str
    tone: Tone = "0"
    not_for: tuple[str, ...] = ()


@dataclass
class Filled:
    """The generated values of one answer file."""

    place: Place
    round: str
    org: Org
    submitted: dt.date
    answers: dict[str, int | None]
    importance: dict[str, int] = field(default_factory=dict)
    ambition: dict[str, int] = field(default_factory=dict)
    levels: list[str] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)
    open: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- the three municipalities

LINDELOO = Place(
    slug="lindeloo",
    name="Lindeloo",
    size="klein",
    region="Jeugdregio Groene Delta",
    inhabitants=14_200,
    expected_roles=(
        "huisartsenpraktijk",
        "jgz-0-4",
        "jgz-4-19",
        "jeugd-en-gezinsteam",
        "school-po",
        "jeugdhulpaanbieder",
        "jeugdbescherming",
        "gemeente",
    ),
    team="het jeugd- en gezinsteam",
    team_role="jeugd-en-gezinsteam",
    base={
        "juiste-partners": 2.9,
        "samenwerkingsafspraken": 2.7,
        "samenwerkingscultuur": 3.8,
        "regie": 2.1,
        "continuiteit": 2.6,
        "kennis-effectiviteit": 2.4,
        "evaluatie": 1.9,
        "informatie-uitwisseling": 2.3,
        "consistente-visie": 3.2,
        "vertrouwen": 3.7,
        "toerusting-eerstelijn": 2.2,
        "handelingsvrijheid-eerstelijn": 2.8,
        "preventie": 3.3,
        "dialoog": 3.1,
        "administratieve-last": 3.0,
        "inkoopmodel": 2.5,
    },
    change={"regie": 1.3, "toerusting-eerstelijn": 1.3},
    gaps=("overname-opvoeding",),
    orgs=(
        Org(
            "Huisartsenpraktijk De Linde",
            "huisartsenpraktijk",
            remarks=(
                (
                    EARLIER,
                    "regie",
                    "Als een kind eenmaal is doorverwezen, weten wij vaak niet meer wie de "
                    "hulp coördineert. Ouders bellen dan ons.",
                ),
                (
                    LATER,
                    "toerusting-eerstelijn",
                    "Sinds het voorjaar houdt het jeugd- en gezinsteam elke dinsdagochtend "
                    "spreekuur in onze praktijk. We verwijzen daardoor veel minder door naar "
                    "specialistische hulp.",
                ),
            ),
            said=(
                (
                    LATER,
                    "goes_well",
                    "Het spreekuur van het jeugd- en gezinsteam in onze praktijk. Ouders vinden "
                    "het fijn dat ze op een bekende plek geholpen worden.",
                ),
            ),
        ),
        Org(
            "Consultatiebureau Lindeloo",
            "jgz-0-4",
            remarks=(
                (
                    LATER,
                    "preventie",
                    "Het inloopspreekuur op woensdagmiddag loopt goed. Ouders komen met kleine "
                    "vragen over slapen en eten, voordat het grote zorgen worden.",
                ),
            ),
        ),
        Org("JGZ Groene Delta, team Lindeloo", "jgz-4-19", rounds=(LATER,)),
        Org(
            "Jeugd- en gezinsteam Lindeloo",
            "jeugd-en-gezinsteam",
            remarks=(
                (
                    EARLIER,
                    "toerusting-eerstelijn",
                    "We willen graag spreekuur houden bij de huisarts en op school, maar daar "
                    "hebben we nu de mensen niet voor.",
                ),
                (
                    LATER,
                    "regie",
                    "Sinds januari heeft elk gezin met meer hulpverleners één vaste regisseur "
                    "uit ons team. Ook na een verwijzing blijven wij het aanspreekpunt.",
                ),
            ),
            said=(
                (
                    LATER,
                    "change_first",
                    "Afspraken met de jeugdbescherming in de regio. Nu horen we pas dat een "
                    "gezin een maatregel heeft als het al geregeld is.",
                ),
            ),
        ),
        Org(
            "OBS De Regenboog",
            "school-po",
            remarks=(
                (
                    EARLIER,
                    "informatie-uitwisseling",
                    "Hier kunnen wij als school weinig over zeggen. Wij horen alleen wat "
                    "ouders ons zelf vertellen.",
                ),
                (
                    LATER,
                    "toerusting-eerstelijn",
                    "Een jeugdprofessional van het jeugd- en gezinsteam is nu twee ochtenden "
                    "per week op school. Leraren en ouders lopen gewoon even binnen.",
                ),
            ),
        ),
        Org(
            "Jeugdhulp De Wilgenhoek",
            "jeugdhulpaanbieder",
            levels=("intensief", "specialistisch", "intensief-specialistisch"),
            remarks=(
                (
                    EARLIER,
                    "continuiteit",
                    "Pleegzorg en gezinshuizen zijn er niet in Lindeloo. Een kind dat niet "
                    "thuis kan wonen, moet ver weg naar een plek in een andere regio.",
                ),
            ),
            said=(
                (
                    LATER,
                    "change_first",
                    "Een gezinshuis of pleeggezinnen in de eigen gemeente, zodat kinderen dicht "
                    "bij school en familie kunnen blijven.",
                ),
            ),
        ),
        Org(
            "Gemeente Lindeloo, team jeugd",
            "gemeente",
            remarks=(
                (
                    EARLIER,
                    "juiste-partners",
                    "De jeugdbescherming werkt vanuit de regio en schuift bijna nooit aan bij "
                    "ons overleg.",
                ),
                (
                    LATER,
                    "juiste-partners",
                    "We hebben de jeugdbescherming opnieuw uitgenodigd voor de scan, maar ook "
                    "dit jaar kwam er geen antwoord.",
                ),
            ),
        ),
    ),
)

RIVIERSTEDE = Place(
    slug="rivierstede",
    name="Rivierstede",
    size="middelgroot",
    region="Jeugdregio Groene Delta",
    inhabitants=48_300,
    expected_roles=(
        "huisartsenpraktijk",
        "jgz-0-4",
        "jgz-4-19",
        "wijkteam",
        "jeugd-en-gezinsteam",
        "school-po",
        "school-vo",
        "jeugdhulpaanbieder",
        "jeugd-ggz",
        "veilig-thuis",
        "gemeente",
    ),
    team="Buurtzorg Jong",
    team_role="jeugd-en-gezinsteam",
    base={
        "juiste-partners": 3.1,
        "samenwerkingsafspraken": 2.9,
        "samenwerkingscultuur": 3.0,
        "regie": 3.0,
        "continuiteit": 2.4,
        "kennis-effectiviteit": 3.0,
        "evaluatie": 2.6,
        "informatie-uitwisseling": 2.2,
        "consistente-visie": 2.8,
        "vertrouwen": 3.0,
        "toerusting-eerstelijn": 3.2,
        "handelingsvrijheid-eerstelijn": 3.4,
        "preventie": 2.9,
        "dialoog": 2.5,
        "administratieve-last": 2.3,
        "inkoopmodel": 2.7,
    },
    change={},
    gaps=("intensief-specialistisch",),
    disputed="regie",
    orgs=(
        Org(
            "Huisartsenpraktijk Aan de Dijk",
            "huisartsenpraktijk",
            camp="laag",
            remarks=(
                (
                    LATER,
                    "regie",
                    'Na een verwijzing horen we vaak niets meer. Ouders vragen ons: "wie is nu '
                    'eigenlijk de regisseur?" Dat punt staat al een jaar als #1 op de lijst van '
                    "het ketenoverleg.",
                ),
            ),
        ),
        Org(
            "Gezondheidscentrum Rivierstede-Noord",
            "huisartsenpraktijk",
            camp="laag",
            rounds=(LATER,),
            said=(
                (
                    LATER,
                    "change_first",
                    "Eén vast aanspreekpunt per gezin dat ook de huisarts op de hoogte houdt.",
                ),
            ),
        ),
        Org("Consultatiebureau De Kleine Stap", "jgz-0-4", camp="hoog"),
        Org("JGZ Groene Delta, team Rivierstede", "jgz-4-19", camp="hoog"),
        Org(
            "Sociaal Team Rivierstede",
            "wijkteam",
            camp="hoog",
            remarks=(
                (
                    LATER,
                    "regie",
                    "Wij houden contact met gezinnen, ook na afsluiting. Knelpunten brengen we "
                    "direct in bij de gemeente.",
                ),
            ),
        ),
        Org(
            "Buurtzorg Jong Rivierstede",
            "jeugd-en-gezinsteam",
            camp="hoog",
            remarks=(
                (
                    LATER,
                    "regie",
                    "Wij zijn bij elk gezin de vaste regisseur, ook als er specialistische hulp "
                    "bij komt. Dat loopt volgens ons goed.",
                ),
            ),
        ),
        Org(
            "CBS De Wegwijzer",
            "school-po",
            camp="laag",
            remarks=(
                (
                    LATER,
                    "informatie-uitwisseling",
                    "Als school krijgen we hier weinig van mee. Daarom hebben we de meeste "
                    "vragen open gelaten.",
                ),
            ),
        ),
        Org(
            "Rivierstede College",
            "school-vo",
            camp="laag",
            remarks=(
                (
                    LATER,
                    "regie",
                    "Als een leerling naar de jeugd-ggz gaat, weten wij niet meer wie de regie "
                    "heeft. We horen pas iets als het misgaat.",
                ),
            ),
        ),
        Org(
            "Jeugdhulp De Oeverloper",
            "jeugdhulpaanbieder",
            camp="laag",
            levels=("intensief", "specialistisch", "overname-opvoeding"),
        ),
        Org(
            "Jeugd-ggz Het Waterpad",
            "jeugd-ggz",
            camp="laag",
            levels=("specialistisch",),
            remarks=(
                (
                    LATER,
                    "regie",
                    "Na onze behandeling is niet duidelijk wie het gezin verder volgt. Er is "
                    "wel een regisseur op papier, maar wij merken daar weinig van.",
                ),
                (
                    EARLIER,
                    "continuiteit",
                    "Voor gezinnen met meerdere problemen tegelijk is hier geen intensieve "
                    "specialistische hulp. Zij moeten naar de stad, met een lange wachtlijst.",
                ),
            ),
        ),
        Org("Veilig Thuis Groene Delta", "veilig-thuis", camp="hoog"),
        Org(
            "Gemeente Rivierstede, beleid jeugd",
            "gemeente",
            camp="hoog",
            remarks=(
                (
                    LATER,
                    "regie",
                    "De afspraken over regie staan sinds vorig jaar op papier. Wij horen weinig "
                    "klachten.",
                ),
            ),
        ),
    ),
)

HAVENMEER = Place(
    slug="havenmeer",
    name="Havenmeer",
    size="groot",
    region="Jeugdregio Havenmond",
    inhabitants=158_400,
    expected_roles=(
        "huisartsenpraktijk",
        "jgz-0-4",
        "jgz-4-19",
        "wijkteam",
        "school-po",
        "school-vo",
        "kinderopvang",
        "jeugdhulpaanbieder",
        "jeugd-ggz",
        "jeugdbescherming",
        "veilig-thuis",
        "gemeente",
        "leerplicht",
        "welzijn",
    ),
    team="het wijkteam",
    team_role="wijkteam",
    base={
        "juiste-partners": 3.4,
        "samenwerkingsafspraken": 3.3,
        "samenwerkingscultuur": 3.7,
        "regie": 3.0,
        "continuiteit": 2.7,
        "kennis-effectiviteit": 3.4,
        "evaluatie": 3.2,
        "informatie-uitwisseling": 2.9,
        "consistente-visie": 3.1,
        "vertrouwen": 3.6,
        "toerusting-eerstelijn": 2.8,
        "handelingsvrijheid-eerstelijn": 2.4,
        "preventie": 3.5,
        "dialoog": 3.0,
        "administratieve-last": 2.0,
        "inkoopmodel": 2.6,
    },
    change={"samenwerkingscultuur": -0.6, "vertrouwen": -0.7},
    orgs=(
        Org("Huisartsenpraktijk Havenkwartier", "huisartsenpraktijk", rounds=(EARLIER,)),
        Org(
            "Huisartsengroep Meerzicht",
            "huisartsenpraktijk",
            rounds=(EARLIER,),
            remarks=(
                (
                    EARLIER,
                    "inkoopmodel",
                    "Hoe de gemeente de jeugdhulp inkoopt, weten wij als huisartsen niet. "
                    "Daarom hebben we hier niets ingevuld.",
                ),
            ),
        ),
        Org("Consultatiebureau Havenmeer-Zuid", "jgz-0-4"),
        Org("JGZ Havenmond", "jgz-4-19"),
        Org(
            "Wijkteam Havenmeer-Centrum",
            "wijkteam",
            remarks=(
                (
                    EARLIER,
                    "samenwerkingscultuur",
                    "We lopen makkelijk bij elkaar binnen en de lijnen met de scholen zijn kort.",
                ),
                (
                    LATER,
                    "samenwerkingscultuur",
                    "Sinds de nieuwe indeling van de wijkteams kennen we de mensen bij school en "
                    "de jeugdhulp niet meer. Veel vaste gezichten zijn weg.",
                ),
            ),
        ),
        Org("Wijkteam Havenmeer-Oost", "wijkteam"),
        Org(
            "Basisschool De Vuurtoren",
            "school-po",
            remarks=(
                (
                    LATER,
                    "vertrouwen",
                    "Als er iets misgaat, wordt sneller naar één organisatie gewezen. Dat was "
                    "twee jaar geleden anders.",
                ),
            ),
        ),
        Org("IKC De Zeester", "school-po"),
        Org("Lyceum aan het Meer", "school-vo"),
        Org("Kinderopvang De Kleine Kapiteins", "kinderopvang"),
        Org(
            "Jeugdhulp Havenmond",
            "jeugdhulpaanbieder",
            levels=("licht", "intensief", "specialistisch", "intensief-specialistisch"),
            remarks=(
                (
                    LATER,
                    "vertrouwen",
                    "Sinds de nieuwe contracten stuurt de gemeente vooral op kosten. Elke "
                    "verlenging moeten we uitgebreid onderbouwen.",
                ),
            ),
        ),
        Org(
            "Pleegzorg en Gezinshuizen Havenmond",
            "jeugdhulpaanbieder",
            levels=("intensief", "overname-opvoeding"),
        ),
        Org(
            "Jeugd-ggz De Vaargeul",
            "jeugd-ggz",
            remarks=(
                (
                    LATER,
                    "samenwerkingscultuur",
                    "Door de drukte en de wachtlijsten zit iedereen op zijn eigen eiland. Voor "
                    "even bellen met een collega is geen tijd.",
                ),
            ),
        ),
        Org("Jeugdbescherming Havenmond", "jeugdbescherming"),
        Org("Veilig Thuis Havenmond", "veilig-thuis"),
        Org(
            "Gemeente Havenmeer, team jeugd",
            "gemeente",
            remarks=(
                (
                    LATER,
                    "juiste-partners",
                    "De huisartsen hebben dit jaar niet meegedaan aan de scan. We willen hen "
                    "volgend jaar persoonlijk uitnodigen, bijvoorbeeld via de huisartsenkring.",
                ),
            ),
        ),
        Org("Leerplicht Havenmeer", "leerplicht"),
        Org("Jongerenwerk Havenmeer", "welzijn"),
        Org("Steungezinnen Havenmeer", "informele-steun", rounds=(LATER,)),
    ),
)

PLACES = (LINDELOO, RIVIERSTEDE, HAVENMEER)

# ---------------------------------------------------------------- remarks any partner could make

REMARKS = (
    Remark(
        "juiste-partners",
        "De huisartsen schuiven weinig aan bij het overleg. Dat is begrijpelijk, want hun dagen "
        "zijn vol, maar we missen hun kennis wel.",
        "-",
        ("huisartsenpraktijk",),
    ),
    Remark(
        "juiste-partners",
        "Niet iedereen weet wie bij welke partner het aanspreekpunt is. Een lijst met "
        "telefoonnummers die wordt bijgehouden, zou al veel helpen.",
        "-",
    ),
    Remark(
        "juiste-partners",
        "Met school en {team} gaat het goed. De jeugd-ggz en Veilig Thuis blijven voor ons "
        "nog wat op afstand.",
        "+",
        ("jeugd-ggz", "veilig-thuis", "school-po", "school-vo"),
    ),
    Remark(
        "samenwerkingsafspraken",
        "Er staat veel op papier, maar bijna niemand op de werkvloer kent het convenant.",
        "-",
    ),
    Remark(
        "samenwerkingsafspraken",
        "De afspraken over verwijzen werken goed zolang het rustig is. Bij drukte gaat "
        "iedereen terug naar de eigen route.",
        "0",
    ),
    Remark(
        "samenwerkingsafspraken",
        "We spreken elkaar nog weinig aan als een afspraak niet wordt nagekomen. Dat voelt "
        "ongemakkelijk.",
        "-",
    ),
    Remark(
        "samenwerkingscultuur",
        "Ik kan de collega's van {team} altijd direct bellen. Die korte lijn is goud waard.",
        "+",
        ("jeugd-en-gezinsteam", "wijkteam"),
    ),
    Remark(
        "samenwerkingscultuur",
        "Er is veel goede wil, maar tijd voor samenwerking wordt niet vergoed.",
        "0",
    ),
    Remark(
        "regie",
        "Voor ouders is niet altijd duidelijk wie hun vaste contactpersoon is.",
        "-",
    ),
    Remark(
        "regie",
        "Als een behandeling stopt, hoort de casusregisseur dat soms pas weken later.",
        "-",
    ),
    Remark(
        "continuiteit",
        "Een warme overdracht lukt meestal, maar bij spoed gaat het nog alleen op papier.",
        "0",
    ),
    Remark(
        "continuiteit",
        "De wachtlijsten bij de specialistische jeugdhulp zijn lang. In die tijd heeft een "
        "gezin vaak niemand die vinger aan de pols houdt.",
        "-",
    ),
    Remark(
        "continuiteit",
        "Eén plan voor het hele gezin hebben we nog niet. Elke organisatie maakt een eigen plan.",
        "-",
    ),
    Remark(
        "kennis-effectiviteit",
        "We gebruiken erkende aanpakken, maar of ze in onze gemeente ook werken, weten we niet.",
        "0",
    ),
    Remark(
        "kennis-effectiviteit",
        "De gezamenlijke casusbesprekingen zijn leerzaam. Graag vaker, ook met school erbij.",
        "+",
    ),
    Remark(
        "evaluatie",
        "We meten vooral wat nodig is voor de verantwoording, niet wat wij zelf willen weten.",
        "-",
    ),
    Remark(
        "evaluatie",
        "Na een evaluatie blijft het vaak bij een verslag. De verbeterpunten komen later niet "
        "meer terug.",
        "-",
    ),
    Remark(
        "evaluatie",
        "Ouders worden na afloop zelden gevraagd wat ze van de hulp vonden.",
        "-",
    ),
    Remark(
        "informatie-uitwisseling",
        "Collega's twijfelen vaak wat ze mogen delen. Dan delen ze liever niets.",
        "-",
    ),
    Remark(
        "informatie-uitwisseling",
        "Een gezamenlijk platform zoals OZOverbindzorg zou helpen. Nu sturen we beveiligde "
        "mails heen en weer.",
        "-",
    ),
    Remark(
        "informatie-uitwisseling",
        "Toestemming vragen aan ouders gaat goed. Maar de informatie komt vaak te laat bij de "
        "nieuwe hulpverlener.",
        "0",
    ),
    Remark(
        "consistente-visie",
        "De visie 'dichtbij en zo licht als het kan' hoor ik overal terug. Dat helpt bij "
        "lastige keuzes.",
        "+",
    ),
    Remark(
        "consistente-visie",
        "Met elke nieuwe wethouder komt er een nieuw plan. Dat maakt het lastig om koers te "
        "houden.",
        "-",
    ),
    Remark(
        "vertrouwen",
        "De gemeente vraagt bij elke factuur veel details op. Dat voelt als controle.",
        "-",
        ("gemeente",),
    ),
    Remark(
        "vertrouwen",
        "In het casusoverleg durven we fouten te bespreken. Dat is de laatste jaren gegroeid.",
        "+",
    ),
    Remark(
        "toerusting-eerstelijn",
        "{Team} heeft te weinig mensen voor het aantal vragen. Daardoor verwijzen ze sneller "
        "door dan nodig is.",
        "-",
        ("jeugd-en-gezinsteam", "wijkteam"),
    ),
    Remark(
        "toerusting-eerstelijn",
        "De scholing over gesprekken met ouders was nuttig. Die mag elk jaar terugkomen.",
        "+",
    ),
    Remark(
        "handelingsvrijheid-eerstelijn",
        "Zonder beschikking kunnen we snel starten. Dat maakt echt verschil voor gezinnen.",
        "+",
    ),
    Remark(
        "handelingsvrijheid-eerstelijn",
        "Voor alles wat zwaarder is dan lichte hulp is een beschikking nodig. Dat duurt al "
        "gauw drie weken.",
        "-",
    ),
    Remark(
        "preventie",
        "Er is weinig jongerenwerk in de wijk sinds de bezuiniging. Dat merken we op straat.",
        "-",
        ("welzijn",),
    ),
    Remark(
        "preventie",
        "De vrijwilligers van het steungezinnenproject doen veel, maar hun wachtlijst groeit.",
        "0",
    ),
    Remark(
        "preventie",
        "Het inloopspreekuur op het consultatiebureau wordt goed bezocht. Ouders komen vroeg "
        "met hun vragen.",
        "+",
    ),
    Remark(
        "dialoog",
        "De themabijeenkomsten zijn gezellig, maar er komen weinig concrete afspraken uit.",
        "-",
    ),
    Remark(
        "dialoog",
        "Twee keer per jaar bijpraten met alle partners werkt goed. We kennen elkaar daardoor "
        "beter.",
        "+",
    ),
    Remark(
        "administratieve-last",
        "Te veel overleg. Soms zit ik drie keer in één week aan tafel over hetzelfde gezin.",
        "-",
    ),
    Remark(
        "administratieve-last",
        "Het registratiesysteem vraagt dubbel werk: alles moet ook nog in ons eigen dossier.",
        "-",
    ),
    Remark(
        "inkoopmodel",
        "Door de regionale aanbesteding zijn er veel nieuwe aanbieders die niemand kent.",
        "-",
    ),
    Remark(
        "inkoopmodel",
        "In de contracten staat niets over samenwerken met de eerste lijn.",
        "-",
    ),
)

GOES_WELL = (
    "De korte lijnen met {team}. We kunnen altijd even bellen.",
    "We kennen elkaar goed en springen bij als het bij een ander druk is.",
    "De warme overdracht tussen de eerste lijn en de jeugdhulp gaat steeds beter.",
    "Dat school en de jeugdarts samen optrekken als een leerling veel verzuimt.",
    "De themabijeenkomsten: daar leren we elkaars werk kennen.",
    "Het inloopspreekuur op het consultatiebureau. Ouders komen vroeg met hun vragen.",
    "Gezinnen worden snel geholpen, vaak al binnen een week.",
    "De casusbesprekingen met meerdere partners aan tafel.",
)

CHANGE_FIRST = (
    "Minder overleg en minder formulieren, zodat er meer tijd is voor gezinnen.",
    "Steun voor gezinnen die op de wachtlijst staan voor specialistische hulp.",
    "Duidelijke afspraken over wie de regie heeft na een verwijzing.",
    "Eén veilig platform om informatie te delen, zoals OZOverbindzorg.",
    "De huisartsen echt bij de samenwerking betrekken.",
    "Een vast aanspreekpunt bij de gemeente voor vragen van partners.",
    "Meer vertrouwen van de gemeente in de professionals.",
    "Samen meten of de hulp werkt, en daar ook echt iets mee doen.",
)

# ---------------------------------------------------------------- generating values


def _half_up(value: float) -> int:
    """Round to the nearest integer, halves up (not banker's rounding)."""
    return math.floor(value + 0.5)


def _clip(value: float) -> int:
    """A score on the 1..5 scale."""
    return min(5, max(1, _half_up(value)))


def _fill_text(text: str, place: Place) -> str:
    """A shared remark with the municipality's name for its first-line team."""
    return text.replace("{team}", place.team).replace(
        "{Team}", place.team[:1].upper() + place.team[1:]
    )


def _for_round(items: Iterable[tuple[str, str, str]], round_slug: str) -> dict[str, str]:
    """The (key -> text) items of a story that apply to `round_slug`."""
    return {key: text for when, key, text in items if when in (BOTH, round_slug)}


def _is_dont_know(rng: random.Random, role: str, factor: str, index: int) -> bool:
    """Whether a statement is left empty: rare, except in the clusters of story 4."""
    if role in CLUSTER_ROLES and factor in CLUSTER_FACTORS:
        # The privacy rules (the first statement) are what a school or huisarts does know.
        if factor == "informatie-uitwisseling" and index == 0:
            return rng.random() < 0.3
        return rng.random() < CLUSTER_DONT_KNOW
    return rng.random() < DONT_KNOW


def _score(
    rng: random.Random, place: Place, org: Org, factor: str, round_slug: str, view: float
) -> int:
    """One statement score around the organisation's lasting view of the statement."""
    if factor == place.disputed and org.camp is not None:
        if round_slug == LATER:
            return rng.choice((1, 2)) if org.camp == "laag" else rng.choice((4, 5))
        shift = -0.6 if org.camp == "laag" else 0.6
        return _clip(place.base[factor] + shift + rng.gauss(0, VIEW))
    level = place.base[factor] + (place.change.get(factor, 0.0) if round_slug == LATER else 0.0)
    return _clip(level + view + rng.gauss(0, NOISE))


def _levels(rng: random.Random, questionnaire: Questionnaire, place: Place, org: Org) -> list[str]:
    """The levels an organisation offers: its own, or close to its role's typical ones."""
    order = [level.id for level in questionnaire.instrument.intervention_levels]
    if org.levels is not None:
        chosen = set(org.levels)
    else:
        chosen = set(questionnaire.roles[org.role].typical_levels)
        positions = sorted(order.index(level) for level in chosen)
        draw = rng.random()
        if draw < 0.25 and positions[-1] + 1 < len(order):
            chosen.add(order[positions[-1] + 1])
        elif draw < 0.4 and len(chosen) > 1:
            chosen.discard(order[positions[-1]])
    return [level for level in order if level in chosen and level not in place.gaps]


def respondent_factor_score(values: Sequence[int | None]) -> float | None:
    """Mean of the answered statements; None when fewer than half are answered (SPEC §4)."""
    answered = [v for v in values if v is not None]
    if not answered or 2 * len(answered) < len(values):
        return None
    return mean(answered)


def make_filled(
    questionnaire: Questionnaire,
    place: Place,
    org: Org,
    round_slug: str,
    used: set[str],
) -> Filled:
    """Every value of one answer file; `used` holds the texts already used in this round."""
    rng = random.Random(f"{SEED}:{place.slug}:{round_slug}:{org.id}")
    # What an organisation thinks lasts between rounds: its general mildness and its view
    # of each statement; only a little noise is new each round.
    lasting = random.Random(f"{SEED}:{place.slug}:{org.id}:view")
    offset = lasting.gauss(0, OFFSET)
    views = {s.id: offset + lasting.gauss(0, VIEW) for s in questionnaire.instrument.statements()}
    start = SEASONS[round_slug]
    submitted = start + dt.timedelta(days=rng.randrange(SEASON_DAYS))
    if submitted.weekday() >= 5:  # partners fill it in at work
        submitted += dt.timedelta(days=7 - submitted.weekday())
    filled = Filled(place, round_slug, org, submitted, {})
    factor_scores: dict[str, float | None] = {}
    for factor in questionnaire.instrument.factors():
        values: list[int | None] = []
        for index, statement in enumerate(factor.statements):
            if _is_dont_know(rng, org.role, factor.id, index):
                value = None
            else:
                value = _score(rng, place, org, factor.id, round_slug, views[statement.id])
            filled.answers[statement.id] = value
            values.append(value)
        factor_scores[factor.id] = respondent_factor_score(values)
    for factor_id, score in factor_scores.items():
        if rng.random() < 0.88:
            filled.importance[factor_id] = rng.choices((2, 3, 4, 5), weights=(1, 5, 9, 6))[0]
        if score is not None and rng.random() < 0.8:
            step = rng.choices((0, 1, 2), weights=(25, 60, 15))[0]
            filled.ambition[factor_id] = min(5, _half_up(score) + step)
    filled.levels = _levels(rng, questionnaire, place, org)
    _add_comments(rng, filled, factor_scores, used)
    return filled


def _add_comments(
    rng: random.Random, filled: Filled, factor_scores: dict[str, float | None], used: set[str]
) -> None:
    """The story's comments and open answers, plus a few shared ones that fit the scores."""
    place, org = filled.place, filled.org
    filled.comments.update(_for_round(org.remarks, filled.round))
    filled.open.update(_for_round(org.said, filled.round))
    wanted = rng.choices((0, 1, 2), weights=(35, 45, 20))[0]
    candidates = list(REMARKS)
    rng.shuffle(candidates)
    for remark in candidates:
        if wanted <= 0:
            break
        score = factor_scores[remark.factor]
        fits = score is not None and (
            remark.tone == "0"
            or (remark.tone == "+" and score >= 3.0)
            or (remark.tone == "-" and score < 3.4)
        )
        text = _fill_text(remark.text, place)
        if (
            not fits
            or remark.factor in filled.comments
            or org.role in remark.not_for
            or (place.team_role == org.role and "{team}" in remark.text.lower())
            or text in used
        ):
            continue
        filled.comments[remark.factor] = text
        used.add(text)
        wanted -= 1
    for key, pool, chance in (("goes_well", GOES_WELL, 0.6), ("change_first", CHANGE_FIRST, 0.7)):
        if key in filled.open or rng.random() >= chance:
            continue
        options = [_fill_text(t, place) for t in pool]
        options = [t for t in options if t not in used]
        if options:
            text = rng.choice(options)
            filled.open[key] = text
            used.add(text)


# ---------------------------------------------------------------- writing files

_VALUE_LINE = re.compile(r'^(?P<indent> *)(?P<key>[a-z0-9_-]+): (?P<value>null|\[\]|"")(?=\s|$)')
_TOP_KEY = re.compile(r"^(?P<key>[a-z_]+):")


def fill_template(template: str, values: dict[tuple[str, str], str]) -> str:
    """Put YAML values into an answer template, keyed on (top-level key, key); comments stay.

    A top-level key such as `submitted` has the section "". Raises ValueError when a value
    finds no empty line to go to, so that a change of the template cannot go unnoticed.
    """
    section = ""
    out: list[str] = []
    left = dict(values)
    for line in template.split("\n"):
        top = _TOP_KEY.match(line)
        if top is not None:
            section = top.group("key")
        found = _VALUE_LINE.match(line)
        if found is not None:
            where = (
                ("", found.group("key"))
                if not found.group("indent")
                else (section, found.group("key"))
            )
            if where in left:
                line = line[: found.start("value")] + left.pop(where) + line[found.end("value") :]
        out.append(line)
    if left:
        raise ValueError(f"no empty template line for {sorted(left)[:5]}")
    return "\n".join(out)


def answer_values(filled: Filled) -> dict[tuple[str, str], str]:
    """The YAML text of every value of an answer file, keyed for `fill_template`."""
    values: dict[tuple[str, str], str] = {("", "submitted"): filled.submitted.isoformat()}
    values[("", "levels_offered")] = "[" + ", ".join(filled.levels) + "]"
    for statement, score in filled.answers.items():
        if score is not None:
            values[("answers", statement)] = str(score)
    for part, mapping in (("importance", filled.importance), ("ambition", filled.ambition)):
        for factor, value in mapping.items():
            values[(part, factor)] = str(value)
    for factor, text in filled.comments.items():
        values[("comments", factor)] = quote_yaml_string(text)
    for key, text in filled.open.items():
        values[("open", key)] = quote_yaml_string(text)
    return values


def municipality_text(place: Place) -> str:
    """The text of a `gemeente.yaml`."""
    roles = "".join(f"  - {role}\n" for role in place.expected_roles)
    return (
        f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{SCHEMA_FILES['gemeente']}\n"
        "# Een verzonnen gemeente voor de demo van Ketenscan.\n"
        f"name: {quote_yaml_string(place.name)}\n"
        f"size: {place.size}          # klein, middelgroot of groot\n"
        f"region: {quote_yaml_string(place.region)}\n"
        f"inhabitants: {place.inhabitants}\n"
        "expected_roles:            # de partners die in deze gemeente mee zouden moeten doen\n"
        f"{roles}" + benchmark_line(place)
    )


def settings_text() -> str:
    """The text of the demo's `ketenscan.yaml`."""
    return (
        f"# yaml-language-server: $schema={SCHEMA_DIR}/{SCHEMA_FILES['ketenscan']}\n"
        "# Instellingen van de demowerkruimte. Gemaakt door scripts/make_examples.py.\n"
        f"title: {quote_yaml_string(TITLE)}\n"
        "# internal = voor de partners (met toelichtingen); public = alleen totalen\n"
        "audience: internal\n"
    )


def generate(questionnaire: Questionnaire) -> list[Filled]:
    """Every answer file of the demo, in a fixed order."""
    result: list[Filled] = []
    for place in PLACES:
        for round_slug in ROUNDS:
            used: set[str] = set()
            for org in place.orgs:
                if round_slug in org.rounds:
                    result.append(make_filled(questionnaire, place, org, round_slug, used))
    return result


def write_workspace(root: Path, questionnaire: Questionnaire, data: list[Filled]) -> int:
    """Write settings, schemas, README and every municipality; returns the answer files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / MUNICIPALITIES_DIR, ignore_errors=True)
    write_schemas(questionnaire, root / SCHEMA_DIR)
    (root / SETTINGS_FILE).write_text(settings_text(), encoding="utf-8")
    for place in [*PLACES, *peer_places()]:
        folder = root / MUNICIPALITIES_DIR / place.slug
        folder.mkdir(parents=True)
        (folder / MUNICIPALITY_FILE).write_text(municipality_text(place), encoding="utf-8")
    for filled in data:
        answers = root / MUNICIPALITIES_DIR / filled.place.slug / filled.round / ANSWERS_DIR
        answers.mkdir(parents=True, exist_ok=True)
        template = render_template(
            questionnaire,
            municipality=filled.place.slug,
            round_slug=filled.round,
            respondent=filled.org.id,
            role=filled.org.role,
            organisation=filled.org.organisation,
            schema=relative_schema(answers, root),
        )
        text = fill_template(template, answer_values(filled))
        (answers / f"{filled.org.id}.yaml").write_text(text, encoding="utf-8")
    # The key figures first: indicator rules shape the recommendations a workshop file lists.
    write_key_figures(root, questionnaire)
    write_workshops(root, questionnaire, data)
    (root / "README.md").write_text(readme_text(questionnaire, data), encoding="utf-8")
    return len(data)


# ---------------------------------------------------------------- key figures and comparison
# Lindeloo, Havenmeer and four more small municipalities take part in the comparison
# (`benchmark: true`): the small ones make a group of five, so the portal and Lindeloo's
# Overzicht show the comparison; Havenmeer is the only large one, so its Overzicht says why
# it is not compared yet; Rivierstede does not take part. Every municipality and figure is
# invented.

PEERS = (
    ("beekhoeve", "Beekhoeve", 11_800, 0.3),
    ("duinrade", "Duinrade", 16_900, -0.2),
    ("heideveld", "Heideveld", 9_600, 0.1),
    ("wilgenwaard", "Wilgenwaard", 21_300, -0.4),
)
PEER_PARTNERS = (
    ("Consultatiebureau {name}", "jgz-0-4"),
    ("Jeugd- en gezinsteam {name}", "jeugd-en-gezinsteam"),
    ("Huisartsenpraktijk {name}", "huisartsenpraktijk"),
    ("Basisschool De Brug {name}", "school-po"),
    ("Gemeente {name}, team jeugd", "gemeente"),
)
BENCHMARK = frozenset({"lindeloo", "havenmeer", *(slug for slug, *_ in PEERS)})


def benchmark_line(place: Place) -> str:
    """`benchmark: true` for a municipality that takes part in the comparison."""
    if place.slug not in BENCHMARK:
        return ""
    return "benchmark: true            # doet mee aan de vergelijking met andere gemeenten\n"


def peer_places() -> list[Place]:
    """The four small municipalities that make Lindeloo's group of five: one round each."""
    places = []
    for slug, name, inhabitants, lean in PEERS:
        rng = random.Random(f"{SEED}:{slug}:profile")
        base = {factor: round(2.3 + lean + rng.uniform(0, 1.4), 2) for factor in LINDELOO.base}
        places.append(
            Place(
                slug=slug,
                name=name,
                size="klein",
                region="Jeugdregio Groene Delta",
                inhabitants=inhabitants,
                expected_roles=tuple(role for _, role in PEER_PARTNERS),
                team="het jeugd- en gezinsteam",
                team_role="jeugd-en-gezinsteam",
                base=base,
                change={},
                orgs=tuple(
                    Org(organisation.format(name=name), role, rounds=(LATER,))
                    for organisation, role in PEER_PARTNERS
                ),
            )
        )
    return places


def generate_peers(questionnaire: Questionnaire) -> list[Filled]:
    """The answer files of the four small municipalities (the later round only)."""
    result: list[Filled] = []
    for place in peer_places():
        used: set[str] = set()
        for org in place.orgs:
            result.append(make_filled(questionnaire, place, org, LATER, used))
    return result


# (numerator, denominator) per municipality, round and key figure, invented to tell a
# story: Lindeloo's spreekuur in the huisartsenpraktijk shows in fewer GP referrals and
# more help without referral; Rivierstede's Buurtzorg Jong gives much help without
# referral; in Havenmeer more youths are in care, for longer, and more are placed.
KEY_FIGURES: dict[tuple[str, str], dict[str, tuple[float, float]]] = {
    ("lindeloo", EARLIER): {
        "hulp-zonder-verwijzing": (58, 260),
        "verwijzingen-via-huisarts": (46, 120),
        "huisbezoek-binnen-drie-dagen": (41, 62),
        "voortijdig-beeindigd": (6, 58),
        "jeugdigen-in-zorg-per-1000": (310, 2_900),
        "gemiddelde-duur-in-zorg": (1_340, 95),
    },
    ("lindeloo", LATER): {
        "hulp-zonder-verwijzing": (86, 255),
        "verwijzingen-via-huisarts": (31, 115),
        "huisbezoek-binnen-drie-dagen": (52, 64),
        "voortijdig-beeindigd": (4, 61),
        "jeugdigen-in-zorg-per-1000": (305, 2_880),
        "gemiddelde-duur-in-zorg": (1_250, 95),
        "uithuisplaatsingen-per-1000": (8, 2_880),
    },
    ("rivierstede", EARLIER): {
        "hulp-zonder-verwijzing": (412, 1_000),
        "huisbezoek-binnen-drie-dagen": (160, 221),
        "jeugdigen-in-zorg-per-1000": (980, 10_000),
    },
    ("rivierstede", LATER): {
        "hulp-zonder-verwijzing": (430, 1_000),
        "huisbezoek-binnen-drie-dagen": (171, 230),
        "voortijdig-beeindigd": (9, 140),
        "uithuisplaatsing-voorkomen": (5, 21),
        "jeugdigen-in-zorg-per-1000": (1_010, 10_000),
    },
    ("havenmeer", EARLIER): {
        "hulp-zonder-verwijzing": (505, 3_420),
        "verwijzingen-via-huisarts": (533, 1_300),
        "huisbezoek-binnen-drie-dagen": (402, 610),
        "voortijdig-beeindigd": (31, 420),
        "uithuisplaatsingen-per-1000": (98, 32_800),
        "jeugdigen-in-zorg-per-1000": (3_420, 32_800),
        "gemiddelde-duur-in-zorg": (12_920, 850),
    },
    ("havenmeer", LATER): {
        "hulp-zonder-verwijzing": (518, 3_650),
        "verwijzingen-via-huisarts": (606, 1_340),
        "huisbezoek-binnen-drie-dagen": (364, 624),
        "voortijdig-beeindigd": (39, 430),
        "uithuisplaatsingen-per-1000": (118, 32_500),
        "jeugdigen-in-zorg-per-1000": (3_650, 32_500),
        "gemiddelde-duur-in-zorg": (13_680, 800),
    },
}
PERIODS = {EARLIER: "2023", LATER: "2024"}


def key_figures_text(slug: str, round_slug: str, values: dict[str, tuple[float, float]]) -> str:
    """The text of a round's `indicatoren.yaml`."""
    lines = [
        f"# yaml-language-server: $schema=../../../{SCHEMA_DIR}/{SCHEMA_FILES['indicatoren']}",
        "# Verzonnen kengetallen voor de demo van Ketenscan.",
        f"municipality: {slug}",
        f"round: {round_slug}",
        f'period: "{PERIODS[round_slug]}"',
        'source: "registratie van gemeente en partners (verzonnen)"',
        "values:",
    ]
    for indicator, (numerator, denominator) in values.items():
        lines += [
            f"  {indicator}:",
            f"    numerator: {numerator}",
            f"    denominator: {denominator}",
        ]
    return "\n".join(lines) + "\n"


def write_key_figures(root: Path, questionnaire: Questionnaire) -> None:
    """Every `indicatoren.yaml` of the demo (ids checked against the definitions)."""
    for (slug, round_slug), values in KEY_FIGURES.items():
        unknown = set(values) - set(questionnaire.indicators)
        if unknown:
            raise SystemExit(f"onbekende kengetallen in de demo: {sorted(unknown)}")
        path = root / MUNICIPALITIES_DIR / slug / round_slug / "indicatoren.yaml"
        path.write_text(key_figures_text(slug, round_slug, values), encoding="utf-8")


def _share(slug: str, round_slug: str, indicator: str, multiplier: float = 100) -> str:
    numerator, denominator = KEY_FIGURES[(slug, round_slug)][indicator]
    return _fmt1(numerator * multiplier / denominator)


def _fmt1(value: float) -> str:
    """One decimal, rounded half up as the site does."""
    return rounded(value)


def comparison_lines(data: list[Filled]) -> list[str]:
    """Stories 8 and 9: the key figures and the comparison, as Markdown list items."""
    peers = ", ".join(name for _, name, *_ in PEERS)
    answered = {f.place.slug for f in data}
    assert answered >= BENCHMARK
    lindeloo = {k: _share("lindeloo", LATER, k) for k in KEY_FIGURES[("lindeloo", LATER)]}
    rivierstede = _share("rivierstede", LATER, "hulp-zonder-verwijzing")
    return [
        "8. **Kengetallen** (verzonnen). Lindeloo: hulp zonder verwijzing van "
        f"{_share('lindeloo', EARLIER, 'hulp-zonder-verwijzing')}% naar "
        f"{_share('lindeloo', LATER, 'hulp-zonder-verwijzing')}% (Zaltbommel: bijna 40%), "
        "verwijzingen door de huisarts van "
        f"{_share('lindeloo', EARLIER, 'verwijzingen-via-huisarts')}% naar "
        f"{lindeloo['verwijzingen-via-huisarts']}%, huisbezoek binnen drie werkdagen "
        f"{lindeloo['huisbezoek-binnen-drie-dagen']}% (streefwaarde 80%). Rivierstede: "
        f"{rivierstede}% zonder verwijzing. Havenmeer: jeugdigen met jeugdhulp van "
        f"{_share('havenmeer', EARLIER, 'jeugdigen-in-zorg-per-1000', 1000)} naar "
        f"{_share('havenmeer', LATER, 'jeugdigen-in-zorg-per-1000', 1000)} per 1.000, "
        "gemiddeld "
        f"{_share('havenmeer', EARLIER, 'gemiddelde-duur-in-zorg', 1)} en dan "
        f"{_share('havenmeer', LATER, 'gemiddelde-duur-in-zorg', 1)} maanden in zorg, en "
        f"{_share('havenmeer', LATER, 'voortijdig-beeindigd')}% van de trajecten tegen advies "
        "gestopt (streefwaarde hooguit 5%).",
        "9. **Vergelijking.** Lindeloo doet mee aan de vergelijking (`benchmark: true`), net als "
        f"vier andere kleine gemeenten: {peers} (elk vijf partners, alleen 2025-najaar). Zo is "
        "de groep kleine gemeenten vijf groot en tonen de portaalpagina en het Overzicht van "
        "Lindeloo de mediaan en de middelste helft. Havenmeer doet ook mee, maar is de enige "
        "grote gemeente: zijn Overzicht zegt waarom er nog geen vergelijking is. Rivierstede "
        "doet niet mee; zijn scores staan nergens naast die van andere gemeenten.",
    ]


# ---------------------------------------------------------------- workshops (SPEC §9)
#
# Story 7: what the partners agreed. Every municipality held a workshop after the earlier
# round; Lindeloo also after the later one. Lindeloo's actions on regie and the spreekuur
# in the huisartsenpraktijk are done and those factors rose (story 5), the jeugdbescherming
# still does not take part and that action is late. Havenmeer agreed actions after the
# reorganisation was announced, never started them, and saw samenwerkingscultuur and
# vertrouwen fall. Rivierstede agreed on level 3 for regie in 2024-najaar; a year later
# the partners turn out to be split in two camps on it (story 1).


@dataclass(frozen=True)
class Agreed:
    """An action the demo's partners agreed on: its state in each round it is listed in."""

    id: str
    title: str
    factors: tuple[str, ...]
    owner: str
    measure: str
    recommendation: str | None = None
    # round -> (status, due date) as written in that round's workshop.yaml
    states: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Session:
    """One workshop of the demo: when, who, the levels that differ from the rounded mean,
    the reasons given, notes, and the actions listed in its file."""

    place: Place
    round: str
    date: dt.date
    participants: tuple[str, ...]
    levels: dict[str, int]  # only where the group chose other than the rounded mean
    reasons: dict[str, str]
    notes: dict[str, str]
    actions: tuple[Agreed, ...]


LINDELOO_ACTIONS = (
    Agreed(
        "spreekuur-eerste-lijn",
        "Spreekuur van het jeugd- en gezinsteam in de huisartsenpraktijk en op school",
        ("toerusting-eerstelijn",),
        "jeugd-en-gezinsteam",
        "Elke week een spreekuur bij de huisarts en op school; minder verwijzingen naar "
        "specialistische hulp.",
        "toerusting-eerstelijn-laag",
        ((EARLIER, "gepland", "2025-04-01"), (LATER, "klaar", "2025-04-01")),
    ),
    Agreed(
        "vaste-regisseur",
        "Eén vaste regisseur voor elk gezin met meer hulpverleners",
        ("regie",),
        "jeugd-en-gezinsteam",
        "Elk gezin met meer hulpverleners weet wie zijn regisseur is, ook na een verwijzing.",
        "regie-laag",
        ((EARLIER, "gepland", "2025-01-31"), (LATER, "klaar", "2025-01-31")),
    ),
    Agreed(
        "jeugdbescherming-aan-tafel",
        "De jeugdbescherming vast uitnodigen voor het ketenoverleg en de scan",
        ("juiste-partners",),
        "gemeente",
        "De jeugdbescherming doet mee aan de volgende ronde van de scan.",
        "partner-ontbreekt-jeugdbescherming",
        ((EARLIER, "gepland", "2025-03-01"), (LATER, "loopt", "2025-03-01")),
    ),
    Agreed(
        "pleegzorg-dichtbij",
        "Met de regio zoeken naar pleeggezinnen en een gezinshuis dicht bij Lindeloo",
        ("continuiteit",),
        "gemeente",
        "Een kind dat niet thuis kan wonen, kan in Lindeloo of een buurgemeente blijven.",
        "niveau-ontbreekt-overname-opvoeding",
        ((EARLIER, "gepland", "2025-09-01"), (LATER, "loopt", "2026-06-01")),
    ),
    Agreed(
        "samen-meten",
        "Wachttijd en uitval per kwartaal samen bespreken in het ketenoverleg",
        ("evaluatie",),
        "gemeente",
        "Vier keer per jaar staan wachttijd en uitval op de agenda van het ketenoverleg.",
        "evaluatie-laag",
        ((LATER, "gepland", "2026-04-01"),),
    ),
    Agreed(
        "convenant-informatie",
        "Een convenant over welke informatie partners met toestemming van ouders delen",
        ("informatie-uitwisseling",),
        "gemeente",
        "Alle partners hebben het convenant getekend en kennen de afspraken.",
        "informatie-uitwisseling-laag",
        ((LATER, "gepland", "2026-09-01"),),
    ),
)

RIVIERSTEDE_ACTIONS = (
    Agreed(
        "regie-afspraken",
        "Op papier zetten wie de regie heeft bij de start, bij een verwijzing en na afloop",
        ("regie",),
        "gemeente",
        "Een afsprakenkaart die alle partners kennen en gebruiken.",
        None,
        ((EARLIER, "loopt", "2025-06-01"),),
    ),
    Agreed(
        "vaste-contactpersonen",
        "Lijst met vaste contactpersonen bijwerken en delen",
        ("samenwerkingscultuur",),
        "gemeente",
        "Alle partners hebben de lijst en gebruiken hem.",
        None,
        ((EARLIER, "gepland", "2025-03-01"),),
    ),
)

HAVENMEER_ACTIONS = (
    Agreed(
        "kennismaking-wijkteams",
        "Kennismaking tussen de nieuwe wijkteams en de scholen en huisartsen in hun wijk",
        ("samenwerkingscultuur", "vertrouwen"),
        "wijkteam",
        "Elke school en huisartsenpraktijk kent het eigen wijkteam en een vaste contactpersoon.",
        None,
        ((EARLIER, "gepland", "2025-03-01"),),
    ),
    Agreed(
        "contracten-samen-evalueren",
        "De nieuwe contracten na een half jaar samen met de aanbieders evalueren",
        ("vertrouwen", "inkoopmodel"),
        "gemeente",
        "Een evaluatie met alle aanbieders, met afspraken over wat anders moet.",
        None,
        ((EARLIER, "gepland", "2025-06-01"),),
    ),
    Agreed(
        "huisartsen-betrekken",
        "De huisartsen persoonlijk uitnodigen voor het ketenoverleg en de scan",
        ("juiste-partners",),
        "gemeente",
        "Minstens twee huisartsenpraktijken doen mee aan de volgende ronde.",
        "partner-ontbreekt-huisartsenpraktijk",
        ((EARLIER, "gepland", "2025-05-01"),),
    ),
)

SESSIONS = (
    Session(
        LINDELOO,
        EARLIER,
        dt.date(2024, 11, 27),
        ("huisartsenpraktijk", "jgz-0-4", "jeugd-en-gezinsteam", "school-po", "gemeente"),
        {},
        {
            "regie": "Na een verwijzing weet vaak niemand wie de hulp coördineert; ouders "
            "bellen dan de huisarts.",
            "toerusting-eerstelijn": "Het jeugd- en gezinsteam wil spreekuur houden bij de "
            "huisarts en op school, maar heeft er de mensen nog niet voor.",
            "juiste-partners": "De jeugdbescherming schuift bijna nooit aan.",
        },
        {"regie": "Iedereen herkent het probleem na een verwijzing; daarom niveau 2."},
        tuple(a for a in LINDELOO_ACTIONS if any(r == EARLIER for r, _, _ in a.states)),
    ),
    Session(
        LINDELOO,
        LATER,
        dt.date(2025, 11, 26),
        (
            "huisartsenpraktijk",
            "jgz-0-4",
            "jgz-4-19",
            "jeugd-en-gezinsteam",
            "school-po",
            "jeugdhulpaanbieder",
            "gemeente",
        ),
        {"regie": 4},
        {
            "regie": "Elk gezin met meer hulpverleners heeft nu een vaste regisseur uit het "
            "jeugd- en gezinsteam, ook na een verwijzing.",
            "toerusting-eerstelijn": "Het spreekuur in de huisartsenpraktijk en op school "
            "loopt sinds het voorjaar; er wordt minder doorverwezen.",
            "juiste-partners": "De jeugdbescherming doet nog steeds niet mee.",
        },
        {
            "regie-volgt-na-afsluiting": "Na afsluiting belt de regisseur nog niet vanzelf; "
            "dat wordt een vast moment in het gezinsplan.",
            "administratieve-last-weinig-vergaderen": "Het ketenoverleg duurt lang; de "
            "helft van de punten kan per mail.",
        },
        tuple(a for a in LINDELOO_ACTIONS if any(r == LATER for r, _, _ in a.states)),
    ),
    Session(
        RIVIERSTEDE,
        EARLIER,
        dt.date(2024, 12, 4),
        (
            "huisartsenpraktijk",
            "jgz-0-4",
            "wijkteam",
            "jeugd-en-gezinsteam",
            "school-po",
            "jeugdhulpaanbieder",
            "gemeente",
        ),
        {"regie": 3},
        {
            "regie": "Casusregie is geregeld, regie op gemeenteniveau nog niet.",
        },
        {"regie": "Huisartsen en scholen kennen de regisseur vaak niet."},
        RIVIERSTEDE_ACTIONS,
    ),
    Session(
        HAVENMEER,
        EARLIER,
        dt.date(2024, 12, 11),
        (
            "huisartsenpraktijk",
            "jgz-0-4",
            "wijkteam",
            "school-po",
            "jeugdhulpaanbieder",
            "jeugdbescherming",
            "gemeente",
        ),
        {},
        {
            "samenwerkingscultuur": "Partners kennen elkaar goed, maar de nieuwe indeling van "
            "de wijkteams kan dat veranderen.",
            "vertrouwen": "Er is vertrouwen; iedereen wacht wel af wat de nieuwe contracten "
            "brengen.",
        },
        {},
        HAVENMEER_ACTIONS,
    ),
)


def _half_up_level(value: float) -> int:
    """The level nearest to a mean, halves up, on the 1..5 scale."""
    return _clip(value)


def session_values(
    questionnaire: Questionnaire, data: list[Filled], session: Session
) -> WorkshopValues:
    """What a demo workshop's file holds: levels near the partners' means, and its actions."""
    responses = _responses(data, session.place, session.round)
    consensus: dict[str, tuple[int | None, str | None]] = {}
    for factor in questionnaire.instrument.factors():
        mean_score = factor_score(questionnaire, responses, factor.id)
        level = session.levels.get(factor.id)
        if level is None and not math.isnan(mean_score):
            level = _half_up_level(mean_score)
        consensus[factor.id] = (level, session.reasons.get(factor.id))
    actions = []
    for agreed in session.actions:
        status, due = next((s, d) for r, s, d in agreed.states if r == session.round)
        actions.append(
            Action(
                id=agreed.id,
                title=agreed.title,
                factors=list(agreed.factors),
                recommendation=agreed.recommendation,
                owner=agreed.owner,
                due=dt.date.fromisoformat(due),
                status=status,  # type: ignore[arg-type]
                measure=agreed.measure,
            )
        )
    return WorkshopValues(
        date=session.date,
        participants=list(session.participants),
        consensus=consensus,
        notes=dict(session.notes),
        actions=actions,
    )


def write_workshops(root: Path, questionnaire: Questionnaire, data: list[Filled]) -> int:
    """Write each demo workshop's `workshop.yaml` from the real template, filled in."""
    analysis = analyse(load_workspace(root))
    scores, workshop = analysis.scores, analysis.workshop
    titles = {f.id: f.title for f in questionnaire.instrument.factors()}
    texts = {st.id: st.text for st in questionnaire.instrument.statements()}
    for session in SESSIONS:
        key = (session.place.slug, session.round)

        def here(frame: Any, key: tuple[str, str] = key) -> list[dict[str, Any]]:
            chosen = frame[(frame["municipality"] == key[0]) & (frame["round"] == key[1])]
            return list(chosen.to_dict("records"))

        figures = {
            str(r["factor"]): FactorFigures(
                float(r["mean"]), float(r["min"]), float(r["max"]), int(r["n"])
            )
            for r in here(scores.factor_scores)
            if r["mean"] == r["mean"]
        }
        points = [
            Point(
                str(p["point"]),
                f"{titles[str(p['point'])]} (factor)"
                if p["kind"] == "factor"
                else f"{texts[str(p['point'])]} (stelling bij {titles[str(p['factor'])]})",
                float(p["consensus"]),
                int(p["low"]),
                int(p["high"]),
            )
            for p in here(workshop.points)
        ]
        recommendations = [
            (str(r["rule"]), str(r["title"]), titles.get(str(r["factor"])) if r["factor"] else None)
            for r in here(analysis.recommendations)
        ]
        earlier = [s for s in SESSIONS if s.place is session.place and s.round < session.round]
        folder = root / MUNICIPALITIES_DIR / session.place.slug / session.round
        text = render_workshop_template(
            questionnaire,
            municipality=session.place.slug,
            round_slug=session.round,
            figures=figures,
            points=points,
            recommendations=recommendations,
            previous_round=earlier[-1].round if earlier else None,
            values=session_values(questionnaire, data, session),
            schema=relative_workshop_schema(folder, root),
        )
        (folder / WORKSHOP_FILE).write_text(text, encoding="utf-8")
    return len(SESSIONS)


def workshop_story_lines(questionnaire: Questionnaire, data: list[Filled]) -> list[str]:
    """Story 7, the workshops, with the figures the Actieplan pages show."""
    lines = []
    for session in SESSIONS:
        values = session_values(questionnaire, data, session)
        done = sum(1 for a in values.actions if a.status == "klaar")
        lines.append(
            f"{session.place.name} {session.round} ({session.date.isoformat()}): "
            f"{len(values.actions)} acties, {done} klaar"
        )
    # What the Actieplan pages sum up per factor: the 2024-najaar actions, their status
    # now (in the 2025-najaar file where there is one) and the change of the factor.
    reviews = []
    for place in (LINDELOO, HAVENMEER):
        now = {
            agreed.id: status
            for session in SESSIONS
            if session.place is place and session.round == LATER
            for agreed in session.actions
            for when, status, _ in agreed.states
            if when == LATER
        }
        agreed_then = [
            agreed
            for session in SESSIONS
            if session.place is place and session.round == EARLIER
            for agreed in session.actions
        ]
        for factor in dict.fromkeys(f for agreed in agreed_then for f in agreed.factors):
            named = [a for a in agreed_then if factor in a.factors]
            done = sum(1 for a in named if now.get(a.id, a.states[0][1]) == "klaar")
            before, after = _change(questionnaire, data, place, factor)
            sign = "+" if round(after - before, 2) >= 0 else "−"
            reviews.append(
                f"{place.name} {factor}: {done} van {len(named)} klaar, "
                f"{sign}{_fmt(abs(after - before))}"
            )
    return [
        "7. **Workshops en acties.** Na 2024-najaar hield elke gemeente een workshop, "
        "Lindeloo ook na 2025-najaar (`workshop.yaml` in de rondemap): "
        f"{'; '.join(lines)}. In Lindeloo zijn de acties voor regie en voor het spreekuur "
        "in de huisartsenpraktijk klaar en stegen die factoren; de jeugdbescherming doet "
        "nog altijd niet mee en die actie is te laat. Havenmeer sprak na de aangekondigde "
        "nieuwe indeling van de wijkteams acties af, begon er niet aan, en zag "
        "samenwerkingscultuur en vertrouwen dalen. Rivierstede stelde in 2024-najaar samen "
        "niveau 3 vast voor regie; een jaar later blijken de partners daarover in twee kampen "
        "verdeeld (verhaal 1). Het facilitatorpakket: `ketenscan workshop pack examples "
        "rivierstede --out pakket.pdf`. Per factor de acties van 2024-najaar en de "
        f"verandering sindsdien: {'; '.join(reviews)}.",
    ]


# ---------------------------------------------------------------- the stories in figures


def _responses(data: list[Filled], place: Place, round_slug: str) -> list[Filled]:
    return [f for f in data if f.place is place and f.round == round_slug]


def factor_score(questionnaire: Questionnaire, responses: list[Filled], factor: str) -> float:
    """Mean of the respondent factor scores (SPEC §4)."""
    statements = _statements(questionnaire, factor)
    scores = [respondent_factor_score([r.answers[s] for s in statements]) for r in responses]
    known = [s for s in scores if s is not None]
    return mean(known) if known else math.nan


def _statements(questionnaire: Questionnaire, factor: str) -> list[str]:
    return next(
        [s.id for s in f.statements] for f in questionnaire.instrument.factors() if f.id == factor
    )


def consensus(values: Sequence[int]) -> float:
    """Tastle & Wierman's ordinal consensus on the 1..5 scale (1 = full agreement)."""
    if not values:
        return math.nan
    mu = mean(values)
    total = 1.0
    for category in range(1, 6):
        share = values.count(category) / len(values)
        if share:
            total += share * math.log2(1 - abs(category - mu) / 4)
    return total


def factor_consensus(questionnaire: Questionnaire, responses: list[Filled], factor: str) -> float:
    """Mean consensus of a factor's statements."""
    per_statement = []
    for statement in _statements(questionnaire, factor):
        values = [v for r in responses if (v := r.answers[statement]) is not None]
        per_statement.append(consensus(values))
    return mean(per_statement)


def dont_know_share(
    questionnaire: Questionnaire, responses: list[Filled], factors: Iterable[str]
) -> float:
    """Share of "weet niet" among the answers on `factors`."""
    values = [
        r.answers[s] for r in responses for f in factors for s in _statements(questionnaire, f)
    ]
    return sum(v is None for v in values) / len(values) if values else math.nan


def missing_roles(data: list[Filled], place: Place, round_slug: str) -> list[str]:
    """Expected roles without a respondent."""
    present = {f.org.role for f in _responses(data, place, round_slug)}
    return [role for role in place.expected_roles if role not in present]


def uncovered_levels(
    questionnaire: Questionnaire, data: list[Filled], place: Place, round_slug: str
) -> list[str]:
    """Intervention levels no respondent offers."""
    offered = {level for f in _responses(data, place, round_slug) for level in f.levels}
    return [lvl.id for lvl in questionnaire.instrument.intervention_levels if lvl.id not in offered]


def _change(
    questionnaire: Questionnaire, data: list[Filled], place: Place, factor: str
) -> tuple[float, float]:
    return (
        factor_score(questionnaire, _responses(data, place, EARLIER), factor),
        factor_score(questionnaire, _responses(data, place, LATER), factor),
    )


def check_stories(questionnaire: Questionnaire, data: list[Filled]) -> None:
    """Raise SystemExit when the generated data no longer tell the stories."""
    failures: list[str] = []
    later = _responses(data, RIVIERSTEDE, LATER)
    if factor_consensus(questionnaire, later, "regie") >= 0.6:
        failures.append("story 1: regie in Rivierstede is not a discussion point")
    expected_missing = {
        ("lindeloo", EARLIER): ["jgz-4-19", "jeugdbescherming"],
        ("lindeloo", LATER): ["jeugdbescherming"],
        ("havenmeer", LATER): ["huisartsenpraktijk"],
    }
    expected_gaps = {
        "lindeloo": ["overname-opvoeding"],
        "rivierstede": ["intensief-specialistisch"],
    }
    for place in PLACES:
        for round_slug in ROUNDS:
            missing = missing_roles(data, place, round_slug)
            if missing != expected_missing.get((place.slug, round_slug), []):
                failures.append(
                    f"story 2: missing partners of {place.slug} {round_slug}: {missing}"
                )
            gaps = uncovered_levels(questionnaire, data, place, round_slug)
            if gaps != expected_gaps.get(place.slug, []):
                failures.append(f"story 3: uncovered levels of {place.slug} {round_slug}: {gaps}")
        cluster = [f for f in _responses(data, place, LATER) if f.org.role in CLUSTER_ROLES]
        if cluster and dont_know_share(questionnaire, cluster, CLUSTER_FACTORS) < 0.6:
            failures.append(f"story 4: too few 'weet niet' in {place.slug}")
        for factor in questionnaire.factor_ids:
            before, after = _change(questionnaire, data, place, factor)
            change = after - before
            story = place.change.get(factor, 0.0)
            if story >= 1.0 and change < 0.8:
                failures.append(f"story 5: {place.slug} {factor} improves only {change:+.2f}")
            elif story <= -0.5 and not -0.85 <= change <= -0.45:
                failures.append(f"story 5: {place.slug} {factor} changes {change:+.2f}")
            elif story == 0.0 and factor != place.disputed and not -0.3 < change < 0.45:
                # A decline of 0.3 or more triggers a recommendation: only where planned.
                failures.append(f"story 5: unplanned change {place.slug} {factor} {change:+.2f}")
    if failures:
        raise SystemExit(
            "de voorbeelddata vertellen hun verhaal niet meer:\n" + "\n".join(failures)
        )


def _fmt(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def story_lines(questionnaire: Questionnaire, data: list[Filled]) -> list[str]:
    """The six stories with their figures, as Markdown list items in Dutch."""
    later = _responses(data, RIVIERSTEDE, LATER)
    regie = _statements(questionnaire, "regie")
    low = sum(1 for f in later if f.org.camp == "laag")
    high = sum(1 for f in later if f.org.camp == "hoog")
    per_statement = ", ".join(
        _fmt(consensus([v for r in later if (v := r.answers[s]) is not None])) for s in regie
    )
    lines = [
        "1. **Onenigheid over regie in Rivierstede** (2025-najaar). De partners die zelf de "
        f"regie voeren (sociaal team, Buurtzorg Jong, gemeente, Veilig Thuis en de JGZ; "
        f"{high} partners) geven 4 of 5; huisartsen, scholen, jeugdhulp en jeugd-ggz "
        f"({low} partners) geven 1 of 2. De score "
        f"({_fmt(factor_score(questionnaire, later, 'regie'))}) lijkt gewoon, maar verbergt twee "
        "kampen: de eensgezindheid is "
        f"{_fmt(factor_consensus(questionnaire, later, 'regie'))} (per stelling: "
        f"{per_statement}); onder 0,6 is het een gesprekspunt voor de workshop.",
    ]
    missing = []
    for place in PLACES:
        for round_slug in ROUNDS:
            roles = missing_roles(data, place, round_slug)
            if roles:
                missing.append(f"{place.name} {round_slug}: {', '.join(roles)}")
    lines.append(
        "2. **Ontbrekende partners.** Lindeloo verwacht de jeugdbescherming, maar die vult de "
        "scan nooit in. In Havenmeer deden in 2024-najaar twee huisartsenpraktijken mee, in "
        f"2025-najaar geen enkele. Ontbrekend: {'; '.join(missing)}."
    )
    gaps = []
    for place in PLACES:
        levels = uncovered_levels(questionnaire, data, place, LATER)
        gaps.append(f"{place.name}: {', '.join(levels) if levels else 'geen'}")
    lines.append(
        "3. **Niveaus die niemand biedt** (2025-najaar): "
        f"{'; '.join(gaps)}. Lindeloo heeft geen pleegzorg of gezinshuis en de "
        "jeugdbescherming doet niet mee; in Rivierstede biedt niemand intensieve én "
        "specialistische hulp."
    )
    shares = []
    for place in PLACES:
        responses = _responses(data, place, LATER)
        cluster = [f for f in responses if f.org.role in CLUSTER_ROLES]
        others = [f for f in responses if f.org.role not in CLUSTER_ROLES]
        ours = round(100 * dont_know_share(questionnaire, cluster, CLUSTER_FACTORS))
        rest = round(100 * dont_know_share(questionnaire, others, CLUSTER_FACTORS))
        shares.append(f"{place.name} {ours}% tegen {rest}% bij de andere partners")
    lines.append(
        "4. **Veel 'weet niet'.** Scholen, huisartsen en kinderopvang laten de meeste "
        "stellingen over informatie-uitwisseling en alle stellingen over het inkoopmodel leeg "
        f"(2025-najaar: {'; '.join(shares)})."
    )
    changes = []
    for place, factors in (
        (LINDELOO, ("regie", "toerusting-eerstelijn")),
        (HAVENMEER, ("samenwerkingscultuur", "vertrouwen")),
    ):
        for factor in factors:
            before, after = _change(questionnaire, data, place, factor)
            changes.append(
                f"{place.name} {factor} {_fmt(before)} → {_fmt(after)} "
                f"({'+' if after >= before else '−'}{_fmt(abs(after - before))})"
            )
    lines.append(
        "5. **Ontwikkeling tussen de rondes.** Lindeloo gaat vooruit door het spreekuur van "
        "het jeugd- en gezinsteam in de huisartsenpraktijk en op school en door een vaste "
        "regisseur per gezin; Havenmeer gaat achteruit na de nieuwe indeling van de wijkteams "
        f"en de nieuwe contracten: {'; '.join(changes)}."
    )
    comments = sum(len(f.comments) for f in data)
    answers = sum(len(f.open) for f in data)
    lines.append(
        f"6. **Toelichtingen.** {comments} toelichtingen en {answers} antwoorden op de open "
        "vragen, over het spreekuur in de huisartsenpraktijk, warme overdracht, wachtlijsten, "
        "te veel overleg, een platform als OZOverbindzorg en het inloopspreekuur op het "
        "consultatiebureau. Eén toelichting (Huisartsenpraktijk Aan de Dijk, Rivierstede, "
        "regie) bevat aanhalingstekens, een dubbele punt en een `#`."
    )
    return lines


def readme_text(questionnaire: Questionnaire, data: list[Filled]) -> str:
    """The README of the demo workspace (Dutch), with the stories and their figures."""
    rows = []
    for place in PLACES:
        counts = " / ".join(str(len(_responses(data, place, r))) for r in ROUNDS)
        people = f"{place.inhabitants:,}".replace(",", ".")
        rows.append(f"| {place.name} | {place.size} | {people} | {place.region} | {counts} |")
    return "\n".join(
        [
            f"# {TITLE}",
            "",
            "Deze werkruimte laat zien wat Ketenscan doet. **De gemeenten, de regio's en alle",
            "organisaties zijn verzonnen**; de antwoorden komen niet van echte partners, maar zijn",
            "gemaakt door `scripts/make_examples.py`. Wijzig de bestanden niet met de hand: draai",
            "`make examples` om ze opnieuw te maken.",
            "",
            "| gemeente | grootte | inwoners | regio | antwoorden 2024-najaar / 2025-najaar |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "Controleren: `ketenscan validate examples` — site bouwen: `ketenscan build examples`.",
            "",
            "## Wat de gegevens laten zien",
            "",
            *story_lines(questionnaire, data),
            *workshop_story_lines(questionnaire, data),
            *comparison_lines(data),
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the demo workspace in the given folder and print its stories."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", default="examples", type=Path)
    args = parser.parse_args(argv)
    questionnaire = load_questionnaire()
    data = generate(questionnaire)
    check_stories(questionnaire, data)
    data += generate_peers(questionnaire)
    count = write_workspace(args.folder, questionnaire, data)
    print(f"{count} antwoordbestanden geschreven naar {args.folder}/")
    for line in [
        *story_lines(questionnaire, data),
        *workshop_story_lines(questionnaire, data),
        *comparison_lines(data),
    ]:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

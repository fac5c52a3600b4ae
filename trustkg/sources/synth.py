"""Generate synthetic studies in trustkg's own source tables, to test trustkg at scale.

The seed corpus is two studies (a few thousand triples); the Scale issue asks how the build, the
store, validation and the question catalogue behave at a million triples and more. Real coded
studies of that size do not exist, so this module writes made-up ones that have the *shape* of
the seed study li2018 (three care networks, organisations of every sector, anonymous
participants, 14 literature factors, three themes with subthemes, quotations of interview length,
appendix pointers, curated links with rationales) and pass every schema and SHACL check.

Everything that could be mistaken for real is marked as synthetic: study titles, the study's own
paper, journal names, sector rationales and link rationales. Participants have no names (as in
the seed); reference authors are built from syllables.

Each study is drawn from its own ``random.Random(seed * 1_000_003 + k)``, so study ``k`` is the
same whatever the number of studies asked for, and a run is byte-for-byte reproducible. Rows are
written straight to CSV with the standard library so that thousands of studies take seconds.
Sizes are tuned so that one study builds to about 4,000 triples (250 studies ≈ one million).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from .tables import allowed_values, load_schema

#: Multiplier that spreads seeds apart so (seed, study) pairs never share a generator state.
SEED_STRIDE = 1_000_003

#: The bundled commentary's concepts C01…C31 (used only with ``link_commentary=True``).
COMMENTARY_STUDY = "williams2013"
COMMENTARY_CONCEPTS = 31

# Per-study sizes. One study builds to ~4,000 triples with these (see the module docstring).
N_NETWORKS = 3
ORGS_PER_NETWORK = (8, 10)
EXTRA_PARTICIPANTS_PER_NETWORK = (1, 3)  # participants = organisations + this
N_REFERENCES = (23, 27)
N_FACTORS = 14
N_FACTORS_UNLISTED = (1, 2)  # factors whose cited source is not in the reference list
N_THEMES = 3
N_SUBTHEMES = 14
N_STRATEGIES = 7
N_QUOTATIONS = 14
N_PROBABLE = (2, 4)  # quotation attributions that fit a participant only loosely
N_POINTERS = 13
QUOTE_MIN, QUOTE_MAX = 150, 700

#: A row of a table, by column name; keys starting with "_" are working data, not written.
Row = dict[str, object]

#: Where the (imagined) paper states each table, as the seed's places.csv records it.
PLACES = (
    ("publications", "References"),
    ("organisations", "Table 1"),
    ("participants", "Table 1"),
    ("factors", "Table 2"),
    ("themes", "Table 3"),
    ("subthemes", "Table 3"),
    ("strategies", "Table 4"),
)

SECTORS = allowed_values("organisations", "sector")

# --------------------------------------------------------------------------------------------
# Vocabulary. Organisations: (name, short form used in loosely matching attributions, roles of
# its interviewees); "{k}" is replaced by the network's number.
ORGS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "health": [
        ("GP Practice {k}", "GP surgery", ("General Practitioner", "Practice manager")),
        ("Local NHS Hospital {k}", "NHS hospital", ("Occupational Therapist", "Ward manager")),
        ("Acute Medical Ward at hospital", "hospital ward", ("Ward manager", "Senior staff nurse")),
        ("Elderly & Frail Ward at NHS hospital", "frailty ward", ("Consultant geriatrician",)),
        ("Community Hospital", "community hospital", ("Physiotherapist", "Matron")),
        (
            "Healthcare Foundation Trust/Integrated Discharge Team",
            "discharge team",
            ("Discharge coordinator", "Occupational Therapy Professional Lead"),
        ),
        ("Local clinical commissioning group", "CCG", ("CCG Chair", "Commissioning manager")),
        ("Rapid Response Team at hospital", "rapid response", ("Rapid response nurse",)),
        ("Service Navigation team at NHS hospital", "navigation team", ("Service navigator",)),
        ("Community nursing team", "district nurses", ("Community matron", "District nurse")),
        ("Mental health trust", "mental health", ("Community psychiatric nurse",)),
        ("Stroke Ward at hospital", "stroke ward", ("Stroke nurse specialist", "Physiotherapist")),
    ],
    "local-government": [
        ("Local government/council", "council", ("Integration program manager",)),
        ("County council adult services", "county council", ("Commissioning officer",)),
        ("District council housing team", "housing", ("Housing officer",)),
        ("Public health team at the council", "public health", ("Public health lead",)),
    ],
    "social-care": [
        ("Social care service", "social care", ("Lead Social Worker", "Social worker")),
        ("Community Reablement Team", "reablement", ("Reablement manager", "Trusted assessor")),
        ("Adult social care assessment team", "assessment team", ("Trusted assessor",)),
        ("Home care coordination service", "home care team", ("Care coordinator",)),
    ],
    "voluntary-community": [
        ("Voluntary Action", "voluntary sector", ("Partnership manager",)),
        (
            "Local older people's charity",
            "charity",
            ("Personal Independence coordinator", "Chief executive"),
        ),
        ("Hospice", "hospice", ("Hospice at home lead",)),
        ("Carers' support centre", "carers' centre", ("Carers' support worker",)),
        ("Community transport scheme", "transport scheme", ("Volunteer coordinator",)),
        ("Befriending service", "befrienders", ("Social prescribing link worker",)),
    ],
    "independent-provider": [
        ("Care home", "care home", ("Care home manager", "Specialist Care Practitioner")),
        ("Nursing home", "nursing home", ("Registered nurse", "Deputy manager")),
        ("Domiciliary care agency", "home care agency", ("Home care manager",)),
        ("Private home care provider", "care provider", ("Registered manager",)),
    ],
}
SECTOR_WHY = {
    "health": "an NHS body (primary, hospital, community or commissioning care)",
    "local-government": "part of the local authority (the council)",
    "social-care": "an adult social care service",
    "voluntary-community": "a charity or community organisation of the voluntary sector",
    "independent-provider": "a privately run or not-for-profit care provider",
}
SECTOR_WEIGHTS = {
    "health": 5,
    "local-government": 1,
    "social-care": 2,
    "voluntary-community": 2,
    "independent-provider": 2,
}

#: Roles that no participant has: the attribution of a quotation with no matching participant.
UNLISTED_ROLES = [
    "Interim service director",
    "Locum discharge lead",
    "Bank support worker",
    "Agency night manager",
]

INVOLVE_VERBS = [
    "Working with",
    "Liaising with",
    "Coordinating care with",
    "Meeting regularly with",
    "Taking referrals from",
    "Sharing assessments with",
]
INVOLVE_PARTNERS = [
    "the local council",
    "GP practices",
    "the acute hospital",
    "voluntary organisations",
    "care homes",
    "the CCG",
    "community nursing teams",
    "social workers",
]
INVOLVE_PURPOSES = [
    "to plan hospital discharges for older people",
    "to deliver a social prescribing pilot",
    "to support people with long-term conditions at home",
    "to reduce avoidable hospital admissions",
    "to agree shared care plans for frail older people",
    "to redesign the intermediate care pathway",
    "to arrange reablement packages after discharge",
    "to develop a single point of access",
]

# Themes: label, findings section title, subthemes as (label, a phrase of speech that illustrates
# it: "<partners> <phrase>"), and the asymmetry types the theme expresses.
THEMES: list[dict] = [
    {
        "slug": "competence",
        "label": "Unequal recognition of partners' competence",
        "section": "Recognition of competence",
        "subthemes": [
            (
                "Partners do not know each other's skills and expertise, which limits referrals",
                "don't really know what we do",
            ),
            (
                "Perceptions of the quality of voluntary services vary between organisations",
                "think what we offer is a bit amateur",
            ),
            (
                "Assessments made by one partner are repeated by another",
                "do the same assessment all over again",
            ),
            (
                "Overlapping services are created without looking at what already exists",
                "set up their own service that overlaps with ours",
            ),
            (
                "Recognition from senior leaders makes smaller partners feel valued",
                "only listen to us when a director says so",
            ),
            (
                "Trusted assessor roles help partners accept each other's judgement",
                "won't trust our assessment",
            ),
        ],
        "asymmetries": ["AT-knowledge", "AT-information"],
    },
    {
        "slug": "capacity",
        "label": "Capacity and funding imbalances between partners",
        "section": "Capacity and funding",
        "subthemes": [
            (
                "Smaller partners are uncertain about the future of their funding",
                "only give us funding for a year at a time",
            ),
            (
                "Staff shortages in social care delay discharges from hospital",
                "haven't got the carers to take people home",
            ),
            (
                "Budgets are protected in health while social care faces cuts",
                "get protected while we get cut",
            ),
            (
                "Short-term contracts make it hard to plan joint services",
                "keep putting the contract out to tender",
            ),
            (
                "Partners fear that costs will be shifted onto them",
                "worry that the costs will land on them",
            ),
            (
                "Capacity in community services is needed before partners will join up",
                "can't take on anything more at the moment",
            ),
        ],
        "asymmetries": ["AT-capacity", "AT-financial", "AT-power"],
    },
    {
        "slug": "culture",
        "label": "Cultural differences and attitudes to change",
        "section": "Culture and change",
        "subthemes": [
            (
                "Feeling part of the integration programme helps services work together",
                "never really felt part of the programme",
            ),
            (
                "Regular meetings of all providers drive an integrated approach",
                "don't come to the meetings any more",
            ),
            (
                "Fear of change and of losing identity slows integration",
                "are worried about losing their identity",
            ),
            (
                "Health and social care give the partnership different priorities",
                "have other priorities than the partnership",
            ),
            (
                "Management styles and reporting requirements conflict",
                "report to completely different performance targets",
            ),
            (
                "Openness in staff attitudes supports joint services",
                "are much more open than they used to be",
            ),
        ],
        "asymmetries": ["AT-culture", "AT-attitude"],
    },
    {
        "slug": "information",
        "label": "Information sharing across organisational boundaries",
        "section": "Information sharing",
        "subthemes": [
            (
                "Incompatible record systems stop partners seeing the same information",
                "can't see our records and we can't see theirs",
            ),
            (
                "Information arrives late, after decisions have been made",
                "only tell us after the decision is made",
            ),
            ("Partners share good news but hide problems", "keep the problems to themselves"),
            (
                "Informal contacts carry more information than formal channels",
                "tell us more over a cup of tea than in any report",
            ),
            (
                "Consent and data protection rules are read differently by each partner",
                "read the data protection rules differently",
            ),
            (
                "A shared care record is expected to build confidence between partners",
                "are waiting for the shared care record like we are",
            ),
        ],
        "asymmetries": ["AT-information", "AT-knowledge"],
    },
    {
        "slug": "power",
        "label": "Power and control in commissioning decisions",
        "section": "Power and commissioning",
        "subthemes": [
            (
                "Commissioners decide the terms and providers have to accept them",
                "change the criteria without telling us",
            ),
            (
                "Large organisations dominate the integration board",
                "decide everything at the board before we get there",
            ),
            (
                "Smaller partners are consulted after decisions are taken",
                "ask our views when it's already been agreed",
            ),
            (
                "Contract monitoring is experienced as control rather than support",
                "treat the contract like a stick to beat us with",
            ),
            (
                "Shared budgets are seen as a way to take over other services",
                "want to keep control of the money",
            ),
            (
                "Leadership that shares decisions builds trust across the network",
                "actually let us chair the group this year",
            ),
        ],
        "asymmetries": ["AT-power", "AT-financial"],
    },
    {
        "slug": "relationships",
        "label": "Personal relationships and continuity of contact",
        "section": "Relationships and continuity",
        "subthemes": [
            (
                "Trust rests on individuals and is lost when they move on",
                "keep changing the person we deal with",
            ),
            (
                "Staff who have worked in a partner organisation act as translators",
                "used to work here, so they understand us",
            ),
            (
                "Co-located teams get to know each other quickly",
                "sit in the same office as us now",
            ),
            (
                "Frequent restructuring breaks established working relationships",
                "restructure every couple of years",
            ),
            (
                "Small joint successes build confidence for bigger changes",
                "started with one small project that worked",
            ),
            (
                "Informal problem solving between front-line staff keeps services running",
                "sort things out on the phone between themselves",
            ),
        ],
        "asymmetries": ["AT-culture", "AT-knowledge"],
    },
]

ASYMMETRIES: list[tuple[str, str, str]] = [
    ("AT-knowledge", "knowledge asymmetry", "a knowledge asymmetry about partners' skills"),
    ("AT-capacity", "capacity imbalances", "imbalances of capacity across the care network"),
    ("AT-financial", "financial imbalances", "financial imbalances between health and care"),
    ("AT-power", "asymmetric power", "asymmetric power between the partner organisations"),
    ("AT-culture", "culture and structural asymmetries", "differences of culture and structure"),
    ("AT-attitude", "attitudes toward change", "different attitudes toward change"),
    ("AT-information", "information asymmetry", "an information asymmetry between partners"),
]

FACTORS = [
    "Perceived value of the expertise of less dominant organisations",
    "History of interactions among organisations",
    "Cultural differences between organisations",
    "Levels of information sharing and learning among organisations",
    "Organisational and individual attitudes to change",
    "Expectations between individuals and organisations",
    "Perceptions of fairness in decisions",
    "Job security and other rewards",
    "Broader social, economic and demographic context",
    "Levels of organisational independence",
    "Funding streams, budgets and financial accountability",
    "Restrictive or conflicting laws and regulations",
    "Controlling power differences among organisations",
    "Staff engagement and leadership",
    "Reputation of partner organisations",
    "Frequency of personal contact between staff",
    "Shared goals for the population served",
    "Clarity of roles and responsibilities",
    "Stability of staff in boundary-spanning roles",
    "Compatibility of information systems",
]

STRATEGIES: list[tuple[str, str, list[str]]] = [
    (
        "Inter-organisation learning",
        "Regular joint workshops where partners present their services and learn each other's "
        "competences, to correct stereotyped views of partners' quality.",
        ["AT-knowledge", "AT-information"],
    ),
    (
        "Staff with experience of partner organisations",
        "Involving staff who have worked in partner organisations, who understand both sides and "
        "can explain differences of culture and practice.",
        ["AT-knowledge", "AT-culture"],
    ),
    (
        "Leadership to balance power and funding",
        "Resources and leadership that balance power, capacity and funding across the network, "
        "so that no partner carries the risk alone.",
        ["AT-power", "AT-capacity", "AT-financial"],
    ),
    (
        "Boundary-spanners as translators",
        "Named boundary-spanners with knowledge of health and social care who translate between "
        "partners on competence, capacity, structure and finance.",
        ["AT-knowledge", "AT-culture"],
    ),
    (
        "Prompt and open information sharing",
        "Information given promptly and often, including problems and intentions, so that "
        "partners are not surprised by decisions.",
        ["AT-information"],
    ),
    (
        "Clear commitment and joint investment",
        "Visible commitment in time, staff and money from every partner, written into joint "
        "plans that partners can hold each other to.",
        ["AT-financial", "AT-power"],
    ),
    (
        "Small wins first",
        "Aim first for modest, achievable joint outcomes and build on them, so that trust grows "
        "with each success.",
        ["AT-attitude", "AT-culture"],
    ),
    (
        "Shared outcome measures",
        "One set of outcome measures and reporting for the whole network, replacing separate "
        "performance regimes.",
        ["AT-culture", "AT-attitude"],
    ),
    (
        "Co-located teams",
        "Teams from different partners working in one place, so that staff meet every day and "
        "learn each other's ways of working.",
        ["AT-knowledge", "AT-culture"],
    ),
]

OPENERS = [
    "I think",
    "To be honest,",
    "What we find is that",
    "The thing is,",
    "From our side,",
    "In my experience,",
    "At the moment,",
    "You know,",
    "The problem is that",
    "Sometimes",
]
SPEAKERS = [
    "the hospital",
    "social care",
    "the council",
    "the voluntary sector",
    "the GPs",
    "the CCG",
    "the care homes",
    "our partners",
    "the discharge team",
    "the commissioners",
    "the community teams",
    "our health colleagues",
]
CONSEQUENCES = [
    "so people end up waiting in hospital",
    "and that makes it hard to plan anything",
    "which means we duplicate a lot of work",
    "so the trust just isn't there",
    "and then the patient falls through the gap",
    "and we only hear about it afterwards",
    "so we have to start again every time",
    "and nobody is really accountable for it",
    "and the families notice that straight away",
]
ASIDES = [
    "We have regular meetings now and that has helped.",
    "It's getting better, but slowly.",
    "There is a lot of goodwill at the front line.",
    "We need to sit down together and sort out the pathway.",
    "It comes down to relationships, really.",
    "The funding is the real issue.",
    "Once you know the people, it's different.",
    "I don't blame anyone for it.",
    "That's where integrated care should make a difference.",
]
CLAIMS = [
    "Similar comments were made in quotation {n} of Appendix 2.",
    "Interviewees from other networks reported the same, as in quotation {n} of Appendix 2.",
    "This view was shared across sectors (see quotation {n} in Appendix 2).",
    "Several participants described this, for example in quotation {n} of Appendix 2.",
]

SYLLABLES = [
    "bra", "ken", "mor", "tas", "vel", "dun", "sa", "ro", "wick", "ham", "bel", "gal", "nis",
    "fen", "dal", "ra", "thorn", "ves", "ka", "lo", "pem", "cor", "stad", "ul", "tre",
]  # fmt: skip
INITIALS = "ABCDEGHJKLMNPRSTW"
TITLE_HEADS = [
    "Trust and control in",
    "Partnership working in",
    "Power and dependence in",
    "Learning across boundaries in",
    "Governance of",
    "Commissioning and trust in",
    "Collaboration and conflict in",
    "Measuring integration in",
]
TITLE_TAILS = [
    "inter-organisational care networks",
    "health and social care partnerships",
    "integrated care for older people",
    "community care alliances",
    "public service networks",
    "joint commissioning",
]
CONTAINERS = [
    "Synthetic Journal of Integrated Care",
    "Synthetic Review of Organisation Studies",
    "Journal of Synthetic Health Services Research",
    "Synthetic Public Management Quarterly",
    "Synthetic Studies in Social Policy",
]


# --------------------------------------------------------------------------------------------
def study_id(k: int) -> str:
    """The id of study ``k`` (1-based): ``synth0001``; fixed width 4, wider only past 9999."""
    return f"synth{k:04d}"


def synthesize(
    n_studies: int, out: Path, seed: int = 0, *, link_commentary: bool = False
) -> list[Path]:
    """Write ``n_studies`` synthetic study folders ``out/synth0001`` … and return their paths.

    With ``link_commentary`` each theme is also linked to concepts of the bundled commentary
    (``williams2013/Cnn``); off by default because such links dangle when the studies are built
    without the bundled ones (``--no-bundled``). Existing table files in a study folder that this
    run does not write are removed, so a folder always holds exactly one generated study.
    """
    if n_studies < 0:
        raise ValueError("n_studies must be 0 or more")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    columns = {name: schema.column_names for name, schema in load_schema().items()}
    paths = []
    for k in range(1, n_studies + 1):
        rng = random.Random(seed * SEED_STRIDE + k)
        tables = _study(rng, k, seed, link_commentary)
        folder = out / study_id(k)
        folder.mkdir(exist_ok=True)
        for name, rows in tables.items():
            _write(folder / f"{name}.csv", columns[name], rows)
        for stale in folder.glob("*.csv"):
            if stale.stem in columns and stale.stem not in tables:
                stale.unlink()
        paths.append(folder)
    return paths


def _write(path: Path, columns: list[str], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)


def _short(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _month(year: int, month: int) -> str:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def _authors(names: list[tuple[str, str]]) -> str:
    """``Surname, X., Other, Y. and Last, Z.``: the reference-list style of the seed."""
    parts = [f"{s}, {i}." for s, i in names]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _citation(names: list[tuple[str, str]], year: int) -> str:
    """In-text citation as a factors table prints it: ``Surname et al. (1998)``."""
    if len(names) == 1:
        who = names[0][0]
    elif len(names) == 2:
        who = f"{names[0][0]} and {names[1][0]}"
    else:
        who = f"{names[0][0]} et al."
    return f"{who} ({year})"


def _sentence(rng: random.Random, phrase: str) -> str:
    """One spoken sentence: opener, a partner, what they do and what follows from it."""
    s = f"{rng.choice(OPENERS)} {rng.choice(SPEAKERS)} {phrase}, {rng.choice(CONSEQUENCES)}."
    return s[0].upper() + s[1:]


def _quote(rng: random.Random, phrases: list[str], speech: list[str]) -> str:
    """Interview-like speech of 150–700 characters that says each of ``phrases``.

    The target length stops 160 characters short of the maximum, more than the longest sentence,
    so the text never needs cutting (cutting would leave half a word). The rest of the speech
    draws on the theme's other phrases and on asides, as an interviewee wanders, never saying
    the same thing twice.
    """
    target = rng.randint(QUOTE_MIN + 10, QUOTE_MAX - 160)
    sentences = [_sentence(rng, p) for p in phrases]
    length = sum(len(s) for s in sentences) + len(sentences) - 1
    others = [p for p in speech if p not in phrases]
    asides = rng.sample(ASIDES, len(ASIDES))
    rng.shuffle(others)
    while length < target and asides:
        if others and rng.random() < 0.6:
            s = _sentence(rng, others.pop())
            if length + 1 + len(s) > QUOTE_MAX:
                s = asides.pop()
        else:
            s = asides.pop()
        sentences.insert(rng.randint(1, len(sentences)), s)
        length += 1 + len(s)
    return " ".join(sentences)


def _study(rng: random.Random, k: int, seed: int, link_commentary: bool) -> dict[str, list[Row]]:
    """Every table of study ``k``. The parts draw from ``rng`` in a fixed order: reordering
    them changes every generated study, so keep new draws at the end."""
    sid = study_id(k)
    title = f"Synthetic study {k:04d} (generated test data, not real)"
    pubs, refs = _publications(rng, sid, title, seed)
    sections, themes, subthemes = _coding_frame(rng)
    asym = [
        {
            "id": aid,
            "label": label,
            "stated_text": f"{phrase} (synthetic wording)",
            "stated_in": rng.choice(("abstract", "discussion", "conclusions")),
        }
        for aid, label, phrase in ASYMMETRIES
    ]
    factors = _factors(rng, refs)
    strategies = [
        {"id": f"S{s}", "label": label, "text": text, "_targets": targets}
        for s, (label, text, targets) in enumerate(rng.sample(STRATEGIES, N_STRATEGIES), start=1)
    ]
    networks, orgs, participants = _people(rng)
    quotations, said_by, evidence = _quotations(rng, themes, subthemes, participants)
    pointers, pointer_evidence = _pointers(rng, themes, subthemes)
    sub_factor, theme_asym, strategy_links = _coding_links(
        rng, themes, subthemes, factors, strategies
    )
    tables: dict[str, list[Row]] = {
        "study": [
            {
                "id": sid,
                "kind": "empirical-study",
                "title": title,
                "description": f"Synthetic study generated by trustkg synth (seed {seed}, study "
                f"{k}) in the shape of a qualitative study of inter-organisational trust in "
                f"{N_NETWORKS} integrated care networks, with {len(participants)} made-up "
                "interviews. Not real data.",
                "publication": pubs[0]["id"],
                "data_collection_start": min(str(n["collection_start"]) for n in networks),
                "data_collection_end": max(str(n["collection_end"]) for n in networks),
                "setting": "Synthetic integrated care programme (not real)",
                "analysis_method": "thematic analysis (synthetic)",
            }
        ],
        "publications": pubs,
        "networks": networks,
        "organisations": orgs,
        "participants": participants,
        "sections": sections,
        "themes": themes,
        "subthemes": subthemes,
        "asymmetry_types": asym,
        "factors": factors,
        "strategies": strategies,
        "quotations": quotations,
        "pointers": pointers,
        "places": [{"table": table, "location": where} for table, where in PLACES],
        "links_subtheme_factor": sub_factor,
        "links_theme_asymmetry": theme_asym,
        "links_strategy_target": strategy_links,
        "links_evidence_subtheme": evidence + pointer_evidence,
        "links_quotation_participant": said_by,
    }
    if link_commentary:
        tables["links_concept"] = [
            {
                "subject": theme["id"],
                "concept": f"{COMMENTARY_STUDY}/C{c:02d}",
                "rationale": "Synthetic link: made up to exercise links to the bundled "
                "commentary's concepts across studies.",
            }
            for theme in themes
            for c in sorted(rng.sample(range(1, COMMENTARY_CONCEPTS + 1), 2))
        ]
    return tables


def _publications(
    rng: random.Random, sid: str, title: str, seed: int
) -> tuple[list[Row], list[tuple[str, list[tuple[str, str]], int]]]:
    """The study's own paper (first row) and its reference list, whose works the factors cite.

    Returns the rows and, for each reference, its id, authors and year."""
    pubs: list[Row] = []
    used: set[str] = set()

    def pub_id(surname: str, year: int) -> str:  # bachmann2001, then bachmann2001a …
        base = ident = f"{surname.lower()}{year}"
        suffixes = iter("abcdefghijklmnopqrstuvwxyz")
        while ident in used:
            ident = base + next(suffixes)
        used.add(ident)
        return ident

    number = sid.removeprefix("synth")
    own_year = rng.randint(2012, 2023)
    own_names = [(_surname(rng), rng.choice(INITIALS)) for _ in range(rng.randint(3, 6))]
    own_id = pub_id(own_names[0][0], own_year)
    own_container = rng.choice(CONTAINERS)
    volume, issue = str(rng.randint(5, 40)), str(rng.randint(1, 12))
    first_page = rng.randint(100, 1500)
    pages = f"{first_page}-{first_page + rng.randint(6, 14)}"
    doi = f"10.5555/synth.{seed}.{number}"  # 10.5555: the prefix reserved for examples
    pubs.append(
        {
            "id": own_id,
            "authors": _authors(own_names),
            "year": own_year,
            "title": title,
            "container": own_container,
            "volume": volume,
            "issue": issue,
            "pages": pages,
            "doi": doi,
            "url": f"https://example.org/trustkg/synth/{sid}",
            "verbatim": f"{_authors(own_names)} ({own_year}) {title}. {own_container}, {volume} "
            f"({issue}). pp. {pages}. doi: {doi}",
            "cited_by_study": "false",
            "note": "Synthetic: generated by trustkg synth as test data; not a real publication.",
        }
    )
    refs = []
    for r in range(rng.randint(*N_REFERENCES)):
        year = rng.randint(1990, 2020)
        names = [
            (_surname(rng), rng.choice(INITIALS)) for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))
        ]
        ident = pub_id(names[0][0], year)
        ref_title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_TAILS)}"
        container = rng.choice(CONTAINERS)
        vol = str(rng.randint(1, 60))
        start = rng.randint(1, 900)
        ref_pages = f"{start}–{start + rng.randint(8, 30)}"
        ref_doi = f"10.5555/synth.{seed}.{number}.{r + 1}" if rng.random() < 0.3 else ""
        verbatim = f"{_authors(names)} ({year}). {ref_title}. {container}, {vol}, {ref_pages}."
        if ref_doi:
            verbatim += f" doi:{ref_doi}"
        pubs.append(
            {
                "id": ident,
                "authors": _authors(names),
                "year": year,
                "title": ref_title,
                "container": container,
                "volume": vol,
                "pages": ref_pages,
                "doi": ref_doi,
                "verbatim": verbatim,
                "cited_by_study": "true",
            }
        )
        refs.append((ident, names, year))
    return pubs, refs


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` groups as evenly as possible (14 over 3: 5, 5, 4)."""
    counts = [total // parts] * parts
    for i in rng.sample(range(parts), total % parts):
        counts[i] += 1
    return counts


def _coding_frame(rng: random.Random) -> tuple[list[Row], list[Row], list[Row]]:
    """Sections, three themes (each with its findings section) and their subthemes."""
    sections: list[Row] = [
        {"id": "abstract", "title": "Abstract"},
        {"id": "findings", "title": "Findings"},
    ]
    themes: list[Row] = []
    subthemes: list[Row] = []
    chosen = rng.sample(THEMES, N_THEMES)
    for t, (src, n_sub) in enumerate(
        zip(chosen, _split(rng, N_SUBTHEMES, N_THEMES), strict=True), start=1
    ):
        sec = f"findings-{src['slug']}"
        sections.append({"id": sec, "title": src["section"], "parent": "findings"})
        themes.append(
            {
                "id": f"T{t}",
                "label": src["label"],
                "findings_section": sec,
                "_asymmetries": src["asymmetries"],
            }
        )
        picked = rng.sample(src["subthemes"], min(n_sub, len(src["subthemes"])))
        for s, (label, phrase) in enumerate(picked, start=1):
            subthemes.append(
                {"id": f"T{t}-S{s}", "theme": f"T{t}", "label": label, "_phrase": phrase}
            )
    sections += [
        {"id": "discussion", "title": "Discussion"},
        {"id": "conclusions", "title": "Conclusions"},
    ]
    return sections, themes, subthemes


def _factors(rng: random.Random, refs: list[tuple[str, list[tuple[str, str]], int]]) -> list[Row]:
    """14 factors citing works of the reference list, one or two citing a work it lacks (as in
    the seed, where two Table 2 sources are not in the references)."""
    factors: list[Row] = []
    unlisted = set(rng.sample(range(N_FACTORS), rng.randint(*N_FACTORS_UNLISTED)))
    cited = rng.sample(refs, N_FACTORS)
    for f, label in enumerate(rng.sample(FACTORS, N_FACTORS)):
        ident, names, year = cited[f]
        row: Row = {"id": f"F{f + 1:02d}", "label": label}
        if f in unlisted:
            other = [(_surname(rng), "X") for _ in range(rng.randint(1, 3))]
            row["source_citation"] = _citation(other, rng.randint(1990, 2020))
            row["source_note"] = (
                "Synthetic: not in the reference list; the cited work is made up for test data."
            )
        else:
            row["source_citation"] = _citation(names, year)
            row["source"] = ident
        factors.append(row)
    return factors


def _people(rng: random.Random) -> tuple[list[Row], list[Row], list[Row]]:
    """Networks, their organisations (every sector in every network) and the participants."""
    start_year, start_month = rng.randint(2010, 2019), rng.randint(1, 12)
    networks: list[Row] = []
    orgs: list[Row] = []
    participants: list[Row] = []
    table_row = 0
    for n in range(1, N_NETWORKS + 1):
        net = f"N{n}"
        low = rng.randint(40, 200) * 1000
        networks.append(
            {
                "id": net,
                "label": f"Network {n}",
                "collection_start": _month(start_year, start_month + rng.randint(0, 3)),
                "collection_end": _month(start_year, start_month + rng.randint(8, 20)),
                "population_min": low,
                "population_max": low + rng.randint(10, 80) * 1000,
                "stated_in": "Methods: Data collection",
            }
        )
        n_orgs = rng.randint(*ORGS_PER_NETWORK)
        sectors = list(SECTORS) + rng.choices(
            SECTORS, [SECTOR_WEIGHTS[sec] for sec in SECTORS], k=n_orgs - len(SECTORS)
        )
        rng.shuffle(sectors)
        pools: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {sec: [] for sec in SECTORS}
        rounds = dict.fromkeys(SECTORS, 0)
        net_orgs = []
        for o, sector in enumerate(sectors, start=1):
            if not pools[sector]:  # every name of the sector used: start again, numbered
                rounds[sector] += 1
                tag = f" ({rounds[sector]})" if rounds[sector] > 1 else ""
                pools[sector] = [
                    (nm + tag, sh, roles)
                    for nm, sh, roles in rng.sample(ORGS[sector], len(ORGS[sector]))
                ]
            name, short, roles = pools[sector].pop()
            name = name.format(k=n)
            row = {
                "id": f"{net}-O{o:02d}",
                "network": net,
                "name": name,
                "sector": sector,
                "sector_rationale": f"Synthetic: '{name}' is {SECTOR_WHY[sector]}, "
                f"so it is curated as {sector}.",
            }
            orgs.append(row)
            net_orgs.append((row, short, roles))
        # every organisation has an interviewee; a few have two, in consecutive table rows
        order = list(range(len(net_orgs)))
        for _ in range(rng.randint(*EXTRA_PARTICIPANTS_PER_NETWORK)):
            pick = rng.randrange(len(net_orgs))
            order.insert(order.index(pick) + 1, pick)
        for p, o in enumerate(order, start=1):
            org, short, roles = net_orgs[o]
            table_row += 1
            participants.append(
                {
                    "id": f"{net}-P{p:02d}",
                    "table_row": table_row,
                    "network": net,
                    "organisation": org["id"],
                    "role": rng.choice(roles),
                    "involvement": f"{rng.choice(INVOLVE_VERBS)} "
                    f"{' and '.join(rng.sample(INVOLVE_PARTNERS, 2))} "
                    f"{rng.choice(INVOLVE_PURPOSES)}",
                    "_org": org,
                    "_short": short,
                }
            )
    return networks, orgs, participants


def _quotations(
    rng: random.Random, themes: list[Row], subthemes: list[Row], participants: list[Row]
) -> tuple[list[Row], list[Row], list[Row]]:
    """Quotations in theme order, who said them and the subthemes they evidence.

    Most attributions name a participant exactly; a few shorten the organisation's name
    (``probable``) and one names a role nobody has (``none-nearest``), as in the seed.
    """
    quotations: list[Row] = []
    said_by: list[Row] = []
    evidence: list[Row] = []
    theme_subs = {t["id"]: [s for s in subthemes if s["theme"] == t["id"]] for t in themes}
    q_themes = [t for t, c in enumerate(_split(rng, N_QUOTATIONS, N_THEMES)) for _ in range(c)]
    kinds = ["exact"] * N_QUOTATIONS
    loose = rng.sample(range(N_QUOTATIONS), 1 + rng.randint(*N_PROBABLE))
    kinds[loose[0]] = "none-nearest"
    for i in loose[1:]:
        kinds[i] = "probable"
    for q, (t, kind) in enumerate(zip(q_themes, kinds, strict=True), start=1):
        qid = f"Q{q:02d}"
        theme = themes[t]
        subs = rng.sample(theme_subs[theme["id"]], 2 if rng.random() < 0.15 else 1)
        speech = [sub["_phrase"] for sub in theme_subs[theme["id"]]]
        text = _quote(rng, [sub["_phrase"] for sub in subs], speech)
        person = rng.choice(participants)
        org, net = person["_org"], person["network"]
        if kind == "exact":
            attribution = f"{person['role']}, {org['name']}, {net}"
            why = (
                f"Synthetic link: role '{person['role']}', organisation '{org['name']}' and "
                f"network {net} are exactly as in participants table row {person['table_row']}."
            )
        elif kind == "probable":
            attribution = f"{person['role']}, {person['_short']}, {net}"
            why = (
                f"Synthetic link: role and network match {person['id']}; the attribution's "
                f"'{person['_short']}' is taken as a short name for '{org['name']}'."
            )
        else:
            role = rng.choice(UNLISTED_ROLES)
            attribution = f"{role}, {org['name']}, {net}"
            why = (
                f"Synthetic link: no participant has the role '{role}'; {person['id']} of the "
                f"same organisation and network is only the nearest candidate."
            )
        quotations.append(
            {
                "id": qid,
                "text": text,
                "attribution": attribution,
                "attributed_network": net,
                "section": theme["findings_section"],
            }
        )
        said_by.append(
            {"quotation": qid, "participant": person["id"], "match": kind, "rationale": why}
        )
        for sub in subs:
            evidence.append(
                {
                    "evidence": qid,
                    "subtheme": sub["id"],
                    "rationale": "Synthetic link: the speaker's remark that partners "
                    f"'{sub['_phrase']}' illustrates the subtheme '{_short(sub['label'])}'.",
                }
            )
    return quotations, said_by, evidence


def _pointers(
    rng: random.Random, themes: list[Row], subthemes: list[Row]
) -> tuple[list[Row], list[Row]]:
    """Appendix pointers (quotations cited by number only), spread over the findings sections,
    each evidencing one subtheme of its section's theme."""
    pointers: list[Row] = []
    evidence: list[Row] = []
    for a in range(1, N_POINTERS + 1):
        theme = themes[(a - 1) * N_THEMES // N_POINTERS]
        sub = rng.choice([s for s in subthemes if s["theme"] == theme["id"]])
        pointers.append(
            {
                "id": f"A{a:02d}",
                "appendix_number": a,
                "section": theme["findings_section"],
                "claim": rng.choice(CLAIMS).format(n=a),
            }
        )
        evidence.append(
            {
                "evidence": f"A{a:02d}",
                "subtheme": sub["id"],
                "rationale": f"Synthetic link: the claim cites appendix quotation {a} for the "
                f"subtheme '{_short(sub['label'])}'.",
            }
        )
    return pointers, evidence


def _coding_links(
    rng: random.Random,
    themes: list[Row],
    subthemes: list[Row],
    factors: list[Row],
    strategies: list[Row],
) -> tuple[list[Row], list[Row], list[Row]]:
    """Curated links: subtheme → factor, theme → asymmetry type, strategy → asymmetry or theme."""
    asym_label = {aid: label for aid, label, _ in ASYMMETRIES}
    sub_factor: list[Row] = []
    for sub in subthemes:
        for fac in rng.sample(factors, 2 if rng.random() < 0.4 else 1):
            sub_factor.append(
                {
                    "subtheme": sub["id"],
                    "factor": fac["id"],
                    "rationale": f"Synthetic link: the subtheme '{_short(sub['label'])}' bears "
                    f"on the factor '{_short(fac['label'])}'.",
                }
            )
    theme_asym: list[Row] = [
        {
            "theme": theme["id"],
            "asymmetry_type": aid,
            "rationale": f"Synthetic link: the theme '{theme['label']}' is read as expressing "
            f"{asym_label[aid]}.",
        }
        for theme in themes
        for aid in theme["_asymmetries"]
    ]
    strategy_links: list[Row] = []
    for strategy in strategies:
        label, targets = strategy["label"], strategy["_targets"]
        for aid in rng.sample(targets, min(2, len(targets))):
            strategy_links.append(
                {
                    "strategy": strategy["id"],
                    "target": aid,
                    "rationale": f"Synthetic link: '{label}' is meant to reduce "
                    f"{asym_label[aid]} in the network.",
                }
            )
        if rng.random() < 0.3:
            theme = rng.choice(themes)
            strategy_links.append(
                {
                    "strategy": strategy["id"],
                    "target": theme["id"],
                    "rationale": f"Synthetic link: '{label}' answers the problems of the theme "
                    f"'{theme['label']}'.",
                }
            )
    return sub_factor, theme_asym, strategy_links

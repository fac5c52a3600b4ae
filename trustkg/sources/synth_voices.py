"""The people of a synthetic study and what they say: care networks, organisations of every
sector, anonymous participants, quotations of interview length and appendix pointers.

Part of :mod:`.synth`; the draws happen in the order :func:`.synth.synthesize` calls them.
"""

from __future__ import annotations

import random

from .synth_parts import (
    ASIDES,
    CLAIMS,
    CONSEQUENCES,
    EXTRA_PARTICIPANTS_PER_NETWORK,
    INVOLVE_PARTNERS,
    INVOLVE_PURPOSES,
    INVOLVE_VERBS,
    N_NETWORKS,
    N_POINTERS,
    N_PROBABLE,
    N_QUOTATIONS,
    N_THEMES,
    OPENERS,
    ORGS,
    ORGS_PER_NETWORK,
    QUOTE_MAX,
    QUOTE_MIN,
    SECTOR_WEIGHTS,
    SECTOR_WHY,
    SECTORS,
    SPEAKERS,
    UNLISTED_ROLES,
    Row,
    month,
    shorten,
    split_total,
)


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


def people(rng: random.Random) -> tuple[list[Row], list[Row], list[Row]]:
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
                "collection_start": month(start_year, start_month + rng.randint(0, 3)),
                "collection_end": month(start_year, start_month + rng.randint(8, 20)),
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


def quotation_rows(
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
    q_themes = [t for t, c in enumerate(split_total(rng, N_QUOTATIONS, N_THEMES)) for _ in range(c)]
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
                    f"'{sub['_phrase']}' illustrates the subtheme '{shorten(sub['label'])}'.",
                }
            )
    return quotations, said_by, evidence


def pointer_rows(
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
                f"subtheme '{shorten(sub['label'])}'.",
            }
        )
    return pointers, evidence

#!/usr/bin/env python3
"""Validates the held-out set: experts.csv, queries.csv and the grading rule.

    python3 check.py        # exit 0 when everything holds, 1 otherwise

Checks every code, filter and county/centre pair against the project's
reference data (crates/domain/reference), the expert CSV format of
DESIGN.md §5, the query kind counts, that every query has at least three
profiles of grade >= 2, that experts.csv is exactly what generate.py
writes, and that nothing was copied from the tuning corpus
(../corpus/mod.rs: names, organisations, bio sentences, query texts).
Standard library only.
"""

import csv
import os
import re
import sys

sys.dont_write_bytecode = True  # importing generate.py leaves no __pycache__ behind

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.normpath(os.path.join(HERE, "..", "..", "..", "domain", "reference"))
TUNING = os.path.normpath(os.path.join(HERE, "..", "corpus", "mod.rs"))

EXPERT_HEADER = ["external_id", "given_name", "family_name", "title", "organization", "sector", "county",
                 "centre", "languages", "topics", "methods", "remote", "accepts_consultations", "bio", "email",
                 "phone"]
QUERY_HEADER = ["id", "kinds", "lang", "query", "filters", "primary", "secondary"]
KINDS = ["situation", "inflection", "compound", "typo", "swedish", "english", "finnish", "filtered",
         "single_topic"]
LANG_KIND = {"fi": "finnish", "sv": "swedish", "en": "english"}
FACETS = ["county", "centre", "sector", "language", "topic", "method", "remote"]
# Minimum counts the brief asks for.
MIN_TOTAL = 100
MIN_KIND = {"situation": 35, "swedish": 18, "english": 12}
# Kinds that must occur in each of the three languages.
EVERY_LANGUAGE = ["single_topic", "typo", "filtered", "compound", "inflection", "situation"]
MIN_GOOD = 3  # profiles with grade >= 2 per query
# Field lengths the project's profile check allows (crates/domain/src/text.rs limits), in characters.
MAX_CHARS = {"given_name": 100, "family_name": 100, "title": 200, "organization": 200, "bio": 8000, "phone": 40}

ISO_639_1 = set("""aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig
ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg
si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
yi yo za zh zu""".split())

errors = []


def error(msg):
    errors.append(msg)


def split(field):
    return [x for x in field.split(";") if x] if field else []


def load_reference():
    tax = {}
    with open(os.path.join(REFERENCE, "taxonomy.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tax[row["code"]] = row["kind"]
    with open(os.path.join(REFERENCE, "counties.csv"), encoding="utf-8", newline="") as f:
        counties = {row["code"]: row["centre"] for row in csv.DictReader(f)}
    with open(os.path.join(REFERENCE, "centres.csv"), encoding="utf-8", newline="") as f:
        centres = [row["code"] for row in csv.DictReader(f)]
    return tax, counties, centres


TAX, COUNTIES, CENTRES = load_reference()
TOPICS = {c for c, k in TAX.items() if k == "topic"}
METHODS = {c for c, k in TAX.items() if k == "method"}
SECTORS = {c for c, k in TAX.items() if k == "sector"}


# --------------------------------------------------------------------------
# The grading rule (README.md). q: dict with filters (list of (facet, value)),
# primary and secondary (lists of codes); p: an experts.csv row as parsed below.
# --------------------------------------------------------------------------
def passes(q, p):
    by_facet = {}
    for facet, value in q["filters"]:
        by_facet.setdefault(facet, []).append(value)
    for facet, values in by_facet.items():
        if facet == "county":
            ok = p["county"] in values
        elif facet == "centre":
            ok = p["centre"] in values
        elif facet == "sector":
            ok = p["sector"] in values
        elif facet == "language":
            ok = any(v in p["languages"] for v in values)
        elif facet == "topic":
            ok = any(v in p["topics"] for v in values)
        elif facet == "method":
            ok = any(v in p["methods"] for v in values)
        elif facet == "remote":
            ok = ("true" if p["remote"] else "false") in values
        else:
            raise ValueError(facet)
        if not ok:
            return False
    return True


def grade(q, p):
    if not passes(q, p):
        return 0
    main, rest = p["topics"][0], p["topics"][1:]
    if main in q["primary"] or any(m in q["primary"] for m in p["methods"]):
        return 3
    if any(t in q["primary"] for t in rest) or main in q["secondary"]:
        return 2
    if any(t in q["secondary"] for t in rest):
        return 1
    return 0


# --------------------------------------------------------------------------
def check_experts():
    path = os.path.join(HERE, "experts.csv")
    with open(path, encoding="utf-8", newline="") as f:
        raw = f.read()
    reader = csv.reader(raw.splitlines(keepends=True))
    rows = list(reader)
    if rows[0] != EXPERT_HEADER:
        error(f"experts.csv: header {rows[0]} != {EXPERT_HEADER}")
    profiles = []
    ids, emails = set(), set()
    for n, row in enumerate(rows[1:], start=2):
        where = f"experts.csv record {n}"
        if len(row) != len(EXPERT_HEADER):
            error(f"{where}: {len(row)} fields")
            continue
        r = dict(zip(EXPERT_HEADER, row))
        if not re.fullmatch(r"ho-\d{4}", r["external_id"]):
            error(f"{where}: external_id {r['external_id']!r}")
        if r["external_id"] in ids:
            error(f"{where}: duplicate external_id")
        ids.add(r["external_id"])
        for field in ("given_name", "family_name", "title", "organization", "bio"):
            if not r[field].strip():
                error(f"{where}: empty {field}")
            if "\n" in r[field] or "\r" in r[field]:
                error(f"{where}: line break in {field}")
        for field, limit in MAX_CHARS.items():
            if len(r[field]) > limit:
                error(f"{where}: {field} longer than {limit} characters")
            if any(ord(c) < 32 for c in r[field]):
                error(f"{where}: control character in {field}")
        if r["sector"] not in SECTORS:
            error(f"{where}: sector {r['sector']!r}")
        if r["county"] not in COUNTIES:
            error(f"{where}: county {r['county']!r}")
        elif r["centre"] != COUNTIES[r["county"]]:
            error(f"{where}: centre {r['centre']!r} is not the centre of {r['county']}")
        if r["centre"] not in CENTRES:
            error(f"{where}: centre {r['centre']!r}")
        langs = split(r["languages"])
        if not langs or len(set(langs)) != len(langs) or any(l not in ISO_639_1 for l in langs):
            error(f"{where}: languages {r['languages']!r}")
        topics = split(r["topics"])
        if not 1 <= len(topics) <= 3 or len(set(topics)) != len(topics) or any(t not in TOPICS for t in topics):
            error(f"{where}: topics {r['topics']!r}")
        methods = split(r["methods"])
        if len(set(methods)) != len(methods) or any(m not in METHODS for m in methods):
            error(f"{where}: methods {r['methods']!r}")
        for field in ("remote", "accepts_consultations"):
            if r[field] not in ("true", "false"):
                error(f"{where}: {field} {r[field]!r}")
        if not re.fullmatch(r"[a-z0-9.\-]+@[a-z0-9\-]+\.example", r["email"]):
            error(f"{where}: email {r['email']!r}")
        if r["email"] in emails:
            error(f"{where}: duplicate email {r['email']}")
        emails.add(r["email"])
        if not re.fullmatch(r"\+358 \d{2} \d{3} \d{4}", r["phone"]):
            error(f"{where}: phone {r['phone']!r}")
        profiles.append(dict(id=r["external_id"], given=r["given_name"], family=r["family_name"], title=r["title"],
                             org=r["organization"], bio=r["bio"], sector=r["sector"], county=r["county"],
                             centre=r["centre"], languages=langs, topics=topics, methods=methods,
                             remote=r["remote"] == "true"))
    if len(profiles) != 500:
        error(f"experts.csv: {len(profiles)} profiles, expected 500")
    # experts.csv is exactly what the generator writes
    sys.path.insert(0, HERE)
    import generate  # noqa: E402
    if generate.render() != raw:
        error("experts.csv differs from what generate.py writes: run python3 generate.py")
    return profiles, generate


def check_queries():
    path = os.path.join(HERE, "queries.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != QUERY_HEADER:
        error(f"queries.csv: header {rows[0]} != {QUERY_HEADER}")
    queries, ids, texts = [], set(), set()
    for n, row in enumerate(rows[1:], start=2):
        where = f"queries.csv record {n}"
        if len(row) != len(QUERY_HEADER):
            error(f"{where}: {len(row)} fields")
            continue
        r = dict(zip(QUERY_HEADER, row))
        where += f" ({r['id']})"
        if r["id"] in ids or not re.fullmatch(r"hq\d{3}", r["id"]):
            error(f"{where}: bad or duplicate id")
        ids.add(r["id"])
        text = r["query"].strip()
        if not text or text.lower() in texts:
            error(f"{where}: empty or duplicate query text")
        texts.add(text.lower())
        kinds = split(r["kinds"])
        if not kinds or len(set(kinds)) != len(kinds) or any(k not in KINDS for k in kinds):
            error(f"{where}: kinds {r['kinds']!r}")
        if r["lang"] not in LANG_KIND:
            error(f"{where}: lang {r['lang']!r}")
        else:
            lang_kinds = [k for k in kinds if k in LANG_KIND.values()]
            if lang_kinds != [LANG_KIND[r["lang"]]]:
                error(f"{where}: kinds must name exactly its language ({LANG_KIND[r['lang']]})")
        filters = []
        for pair in split(r["filters"]):
            if "=" not in pair:
                error(f"{where}: filter {pair!r}")
                continue
            facet, value = pair.split("=", 1)
            valid = {
                "county": value in COUNTIES, "centre": value in CENTRES, "sector": value in SECTORS,
                "language": value in ISO_639_1, "topic": value in TOPICS, "method": value in METHODS,
                "remote": value in ("true", "false"),
            }.get(facet)
            if not valid:
                error(f"{where}: filter {pair!r}")
            filters.append((facet, value))
        if ("filtered" in kinds) != bool(filters):
            error(f"{where}: 'filtered' kind and filters disagree")
        primary, secondary = split(r["primary"]), split(r["secondary"])
        if not primary:
            error(f"{where}: no primary code")
        for code in primary:
            if code not in TOPICS and code not in METHODS:
                error(f"{where}: primary {code!r} is not a topic or method code")
        for code in secondary:
            if code not in TOPICS:
                error(f"{where}: secondary {code!r} is not a topic code (the rule reads topics only)")
        if set(primary) & set(secondary):
            error(f"{where}: a code in both primary and secondary")
        if "single_topic" in kinds and (len(primary) != 1 or "situation" in kinds):
            error(f"{where}: single_topic needs exactly one primary code and no situation")
        queries.append(dict(id=r["id"], kinds=kinds, lang=r["lang"], text=text, filters=filters,
                            primary=primary, secondary=secondary))
    return queries


def tuning_material():
    """Names, bio sentences and query texts of the tuning corpus."""
    if not os.path.exists(TUNING):
        return None
    src = open(TUNING, encoding="utf-8").read()

    def const_list(name):
        m = re.search(r"const " + name + r": &\[&str\] = &\[(.*?)\];", src, re.S)
        return re.findall(r'"([^"]+)"', m.group(1)) if m else []

    phrases_block = re.search(r"const PHRASES.*?\n\];", src, re.S)
    phrases = re.findall(r'"([^"]{12,})"', phrases_block.group(0)) if phrases_block else []
    phrases = [s for s in phrases if " " in s]  # sentences, not the topic codes
    queries_block = re.search(r"pub const QUERIES.*?\n\];", src, re.S)
    queries = re.findall(r'(?:q|m)\("([^"]+)"', queries_block.group(0)) if queries_block else []
    queries += re.findall(r'text: "([^"]+)"', queries_block.group(0)) if queries_block else []
    return dict(given=set(const_list("GIVEN")), family=set(const_list("FAMILY")), titles=set(const_list("TITLES")),
                sentences=phrases + const_list("FILLER"), queries={q.lower() for q in queries})


def main():
    profiles, generate = check_experts()
    queries = check_queries()

    # independence from the tuning corpus
    tuning = tuning_material()
    if tuning is None:
        print(f"note: {TUNING} not found, independence checks skipped")
    else:
        for p in profiles:
            if p["given"] in tuning["given"] or p["family"] in tuning["family"]:
                error(f"{p['id']}: name {p['given']} {p['family']} comes from the tuning corpus")
            if p["title"] in tuning["titles"]:
                error(f"{p['id']}: title {p['title']!r} comes from the tuning corpus")
            if re.fullmatch(r"Organisaatio \d+", p["org"]):
                error(f"{p['id']}: organisation named like the tuning corpus")
            low = p["bio"].lower()
            for s in tuning["sentences"]:
                if s.lower() in low:
                    error(f"{p['id']}: bio repeats tuning sentence {s!r}")
        for q in queries:
            if q["text"].lower() in tuning["queries"]:
                error(f"{q['id']}: query text {q['text']!r} is a tuning query")

    # kind and language counts
    total = len(queries)
    if total < MIN_TOTAL:
        error(f"{total} queries, need at least {MIN_TOTAL}")
    by_kind = {k: sum(1 for q in queries if k in q["kinds"]) for k in KINDS}
    by_lang = {l: sum(1 for q in queries if q["lang"] == l) for l in LANG_KIND}
    for k, n in MIN_KIND.items():
        if by_kind[k] < n:
            error(f"kind {k}: {by_kind[k]} queries, need at least {n}")
    for k in EVERY_LANGUAGE:
        for l in LANG_KIND:
            if not any(k in q["kinds"] and q["lang"] == l for q in queries):
                error(f"kind {k}: no query in {l}")
    for k in KINDS:
        if by_kind[k] == 0:
            error(f"kind {k}: no query")

    # every query has enough relevant profiles under the rule
    low = []
    grade_totals = {3: 0, 2: 0, 1: 0}
    for q in queries:
        grades = [grade(q, p) for p in profiles]
        good = sum(1 for g in grades if g >= 2)
        for g in (3, 2, 1):
            grade_totals[g] += grades.count(g)
        q["counts"] = (grades.count(3), grades.count(2), grades.count(1))
        if good < MIN_GOOD:
            low.append(q)
            error(f"{q['id']} {q['text']!r} {q['filters']}: {good} profiles with grade >= 2, need {MIN_GOOD}")

    # corpus statistics
    unrelated = sum(1 for p in profiles if len(p["topics"]) > 1 and p["topics"][1] not in generate.RELATED[p["topics"][0]])
    negated = 0
    for p in profiles:
        for code, texts in generate.NEG.items():
            if code not in p["topics"] and any(s in p["bio"] for lang in texts.values() for s in lang):
                negated += 1
                break
    n_topics = {n: sum(1 for p in profiles if len(p["topics"]) == n) for n in (1, 2, 3)}
    with_methods = sum(1 for p in profiles if p["methods"])
    sv_speakers = sum(1 for p in profiles if "sv" in p["languages"])
    share = unrelated / len(profiles) if profiles else 0
    if not 0.10 <= share <= 0.20:
        error(f"{unrelated} profiles ({share:.0%}) have an unrelated second topic, expected about 15%")

    print(f"profiles: {len(profiles)} (topics 1/2/3: {n_topics[1]}/{n_topics[2]}/{n_topics[3]}, "
          f"with methods: {with_methods}, Swedish-speaking: {sv_speakers}, "
          f"unrelated second topic: {unrelated} ({share:.1%}), uncoded topic named in passing: {negated})")
    main_counts = {}
    for p in profiles:
        main_counts[p["topics"][0]] = main_counts.get(p["topics"][0], 0) + 1
    print("main topics: " + ", ".join(f"{t} {main_counts.get(t, 0)}" for t in sorted(TOPICS)))
    print(f"queries: {total}; by language: " + ", ".join(f"{l} {n}" for l, n in by_lang.items()))
    print("by kind: " + ", ".join(f"{k} {n}" for k, n in by_kind.items()))
    counts = sorted(queries, key=lambda q: q["counts"][0] + q["counts"][1])
    print("fewest grade>=2 profiles: " + ", ".join(f"{q['id']} {q['counts'][0]}+{q['counts'][1]}" for q in counts[:8]))
    print(f"judgments over all queries: grade 3 {grade_totals[3]}, grade 2 {grade_totals[2]}, grade 1 {grade_totals[1]}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

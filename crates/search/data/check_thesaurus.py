#!/usr/bin/env python3
"""Checks thesaurus.csv and thesaurus_links.csv against the taxonomy.

Usage: python3 check_thesaurus.py [TAXONOMY_CSV]

Without an argument the taxonomy is looked up as ../shared/domain/taxonomy.csv
relative to the repository root, then as crates/domain/reference/taxonomy.csv
(the project's own copy). Prints row counts and exits 1 when anything is wrong.
Standard library only.
"""

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
THESAURUS = HERE / "thesaurus.csv"
LINKS = HERE / "thesaurus_links.csv"

LANGS = ("fi", "sv", "en")
KINDS = ("pref", "alt", "hidden", "phrase")
RELATIONS = ("broader", "related")
MIN_TOPIC_PHRASES = 8

# Taxonomy synonyms deliberately not in the thesaurus, because as query words
# they are ordinary words: "lasta" is the Finnish partitive of lapsi (child),
# Swedish "lasta" is to load, and "let's talk" is everyday English. The longer
# labels (LASTA-toimintamalli, LASTA multi-agency model, Let's Talk about
# Children) still name the methods.
LEFT_OUT = {
    ("lasta", "fi", "LASTA"),
    ("lasta", "sv", "LASTA"),
    ("lasta", "en", "LASTA"),
    ("lapset_puheeksi", "en", "Let's Talk"),
}

# Words that occur in nearly every case description. A phrase made only of
# these (and of function words) says nothing about the concept.
GENERIC = set(
    """
    lapsi lapsen lasta lapset lasten lapsella lapselle nuori nuoren nuorta nuoret nuorten nuorella nuorelle
    perhe perheen perhettä perheessä perheet vuotias vuotiaan vuotiaalla äiti äidin äitiä isä isän isää
    tyttö tytön tyttöä poika pojan poikaa vanhempi vanhemman vanhemmat vanhempien koti kotona kotiin
    barn barnet barnen barnets ung unga ungdom ungdomen familj familjen familjens åring åringen mamma
    mamman pappa pappan mor far flicka flickan pojke pojken förälder föräldern föräldrar föräldrarna hem hemma
    child children child's kid kids young youth teen teenager adolescent family families year old mother
    mum mom father dad girl boy parent parents home
    ja tai ei on ole että kun hän se on sekä eikä
    och eller inte är att som med för på i av till om den det en ett har
    and or not is the a an of to in on at for with from by has have
    """.split()
)


def words(label):
    """The words of a label as the analyser sees them: lower-cased runs of
    letters and digits (hyphens, dashes, apostrophes and brackets split)."""
    return tuple(w for w in re.split(r"[^\w]+", label.lower()) if w and w != "_")


def case_ok(label):
    """Lower case, except acronyms (a hyphen-separated part all in capitals)."""
    for token in re.split(r"[\s]+", label):
        for part in token.split("-"):
            letters = [c for c in part if c.isalpha()]
            if not letters:
                continue
            if all(c.islower() for c in letters) or all(c.isupper() for c in letters):
                continue
            if re.fullmatch(r"[A-Z0-9]{2,}s", part):  # plural acronym: ACEs
                continue
            return False
    return True


def find_taxonomy(argv):
    if len(argv) > 1:
        return Path(argv[1])
    for candidate in (REPO.parent / "shared" / "domain" / "taxonomy.csv", REPO / "crates" / "domain" / "reference" / "taxonomy.csv"):
        if candidate.exists():
            return candidate
    sys.exit("taxonomy.csv not found: give its path as the argument")


def main(argv):
    errors = []
    warnings = []
    tax_path = find_taxonomy(argv)
    with open(tax_path, encoding="utf-8", newline="") as fh:
        taxonomy = {r["code"]: r for r in csv.DictReader(fh)}
    concepts = {c: r for c, r in taxonomy.items() if r["kind"] in ("topic", "method")}
    topics = [c for c, r in concepts.items() if r["kind"] == "topic"]

    # --- thesaurus.csv -----------------------------------------------------
    with open(THESAURUS, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["concept", "lang", "kind", "label"]:
            errors.append(f"thesaurus.csv: header is {header}, expected concept,lang,kind,label")
        rows = []
        for n, row in enumerate(reader, start=2):
            if len(row) != 4:
                errors.append(f"thesaurus.csv:{n}: {len(row)} fields, expected 4: {row}")
                continue
            rows.append((n, *row))

    seen_rows = {}
    seen_words = {}
    prefs = defaultdict(list)
    counts = Counter()
    labels_by = defaultdict(set)
    for n, concept, lang, kind, label in rows:
        where = f"thesaurus.csv:{n}"
        if concept not in concepts:
            kind_of = taxonomy[concept]["kind"] if concept in taxonomy else "unknown"
            errors.append(f"{where}: concept {concept!r} is not a topic or method code ({kind_of})")
            continue
        if lang not in LANGS:
            errors.append(f"{where}: lang {lang!r} is not one of {', '.join(LANGS)}")
            continue
        if kind not in KINDS:
            errors.append(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            continue
        if not label.strip():
            errors.append(f"{where}: empty label")
            continue
        if label != label.strip() or "  " in label:
            errors.append(f"{where}: stray whitespace in {label!r}")
        if "," in label:
            warnings.append(f"{where}: comma in {label!r} (allowed with quoting, better avoided)")
        key = (concept, lang, kind, label)
        if key in seen_rows:
            errors.append(f"{where}: duplicate of line {seen_rows[key]}: {label!r}")
            continue
        seen_rows[key] = n
        wkey = (concept, lang, words(label))
        if not wkey[2]:
            errors.append(f"{where}: {label!r} has no words")
            continue
        if wkey in seen_words:
            m, other_kind, other = seen_words[wkey]
            errors.append(
                f"{where}: {kind} {label!r} has the same words as {other_kind} {other!r} (line {m}) in {concept}/{lang}"
            )
            continue
        seen_words[wkey] = (n, kind, label)
        if kind == "pref":
            prefs[(concept, lang)].append((n, label))
        elif not case_ok(label):
            errors.append(f"{where}: {label!r} should be lower case (capitals only for acronyms)")
        if kind == "phrase" and all(w in GENERIC for w in words(label)):
            errors.append(f"{where}: phrase {label!r} has only generic words")
        counts[(lang, kind)] += 1
        counts[(concept, lang, kind)] += 1
        labels_by[(concept, lang)].add(words(label))

    for concept, r in concepts.items():
        for lang in LANGS:
            found = prefs.get((concept, lang), [])
            if len(found) != 1:
                errors.append(f"{concept}/{lang}: {len(found)} pref rows, expected exactly one")
            elif found[0][1] != r[lang]:
                errors.append(f"{concept}/{lang}: pref {found[0][1]!r} differs from the taxonomy label {r[lang]!r}")
            for synonym in filter(None, (s.strip() for s in r[f"synonyms_{lang}"].split(";"))):
                if (concept, lang, synonym) in LEFT_OUT:
                    if words(synonym) in labels_by[(concept, lang)]:
                        errors.append(f"{concept}/{lang}: {synonym!r} is meant to be left out (LEFT_OUT)")
                    continue
                if words(synonym) not in labels_by[(concept, lang)]:
                    errors.append(f"{concept}/{lang}: taxonomy synonym {synonym!r} is missing")
    for concept in topics:
        for lang in LANGS:
            k = counts[(concept, lang, "phrase")]
            if k < MIN_TOPIC_PHRASES:
                errors.append(f"{concept}/{lang}: {k} phrases, a topic needs at least {MIN_TOPIC_PHRASES}")

    # --- thesaurus_links.csv -----------------------------------------------
    with open(LINKS, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["concept", "relation", "target"]:
            errors.append(f"thesaurus_links.csv: header is {header}, expected concept,relation,target")
        links = [(n, *row) for n, row in enumerate(reader, start=2)]
    seen_links = {}
    broader = defaultdict(set)
    for n, *row in links:
        where = f"thesaurus_links.csv:{n}"
        if len(row) != 3:
            errors.append(f"{where}: {len(row)} fields, expected 3")
            continue
        concept, relation, target = row
        for code in (concept, target):
            if code not in concepts:
                errors.append(f"{where}: {code!r} is not a topic or method code")
        if relation not in RELATIONS:
            errors.append(f"{where}: relation {relation!r} is not one of {', '.join(RELATIONS)}")
            continue
        if concept == target:
            errors.append(f"{where}: {concept} is linked to itself")
            continue
        # related is symmetric: a-b and b-a are the same link
        key = (relation, *sorted((concept, target))) if relation == "related" else (relation, concept, target)
        if key in seen_links:
            errors.append(f"{where}: duplicate of line {seen_links[key]}")
            continue
        seen_links[key] = n
        if relation == "broader":
            broader[concept].add(target)
    for (relation, a, b), n in seen_links.items():
        if relation == "related" and (b in broader[a] or a in broader[b]):
            errors.append(f"thesaurus_links.csv:{n}: {a} and {b} are both related and broader/narrower")

    def cycle_from(start):
        stack, visited = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in broader[node]:
                if nxt == start:
                    return path + [nxt]
                if nxt not in visited:
                    visited.add(nxt)
                    stack.append((nxt, path + [nxt]))
        return None

    for code in list(broader):
        cycle = cycle_from(code)
        if cycle:
            errors.append("broader cycle: " + " -> ".join(cycle))
            break

    # --- report --------------------------------------------------------------
    print(f"taxonomy: {tax_path}")
    print(f"{'':6}" + "".join(f"{k:>8}" for k in KINDS) + f"{'total':>8}")
    for lang in LANGS:
        per = [counts[(lang, k)] for k in KINDS]
        print(f"{lang:6}" + "".join(f"{v:>8}" for v in per) + f"{sum(per):>8}")
    total = [sum(counts[(lang, k)] for lang in LANGS) for k in KINDS]
    print(f"{'all':6}" + "".join(f"{v:>8}" for v in total) + f"{sum(total):>8}")
    phrase_counts = [counts[(c, lang, "phrase")] for c in topics for lang in LANGS]
    if phrase_counts:
        print(f"topic phrases per language: min {min(phrase_counts)}, max {max(phrase_counts)}")
    print(f"links: {sum(1 for k in seen_links if k[0] == 'broader')} broader, {sum(1 for k in seen_links if k[0] == 'related')} related")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    if errors:
        print(f"{len(errors)} error(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

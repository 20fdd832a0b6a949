#!/usr/bin/env python3
"""Seeded generator for the docs family (python3 stdlib only).

    python3 tasks/docs/generator/gen.py

For every task it writes the document sources and registers into <task>/environment/data/ (copied
into the image) and a pristine copy into <task>/tests/inputs/ (verifiers recompute the expected
numbering/expansion from it). It also copies housecheck.py and vlib.py into each task's tests/.
Expected outputs are never written into the image.
"""
import csv
import io
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(FAMILY))
sys.path.insert(0, os.path.join(FAMILY, "..", "calib", "generator"))

REFS = [
    ("iso9001", "ISO", "2015", "ISO 9001: Quality management systems - Requirements", "ISO"),
    ("iso17025", "ISO/IEC", "2017", "ISO/IEC 17025: General requirements for the competence of testing and calibration laboratories", "ISO"),
    ("iso45001", "ISO", "2018", "ISO 45001: Occupational health and safety management systems", "ISO"),
    ("hse-l8", "Health and Safety Executive", "2013", "Legionnaires' disease: the control of legionella bacteria in water systems (L8)", "HSE Books"),
    ("nist-sp-800-53", "NIST", "2020", "Security and Privacy Controls for Information Systems and Organizations (SP 800-53 rev 5)", "NIST"),
    ("gdpr", "European Parliament and Council", "2016", "Regulation (EU) 2016/679 (General Data Protection Regulation)", "Official Journal of the EU"),
    ("mas-qm", "Meridian Quality Office", "2023", "Meridian Quality Manual, edition 9", "Meridian Applied Sciences"),
    ("lp12c", "Meridian Calibration Laboratory", "2023", "LP-12 rev C: Two-point calibration of pressure transducers", "Meridian Applied Sciences"),
    ("en14644", "CEN", "2015", "EN ISO 14644-1: Cleanrooms and associated controlled environments", "CEN"),
    ("coshh", "Health and Safety Executive", "2013", "Control of substances hazardous to health (COSHH), L5", "HSE Books"),
    ("itil4", "Axelos", "2019", "ITIL Foundation, ITIL 4 edition", "TSO"),
    ("iec61010", "IEC", "2010", "IEC 61010-1: Safety requirements for electrical equipment for measurement, control and laboratory use", "IEC"),
]
GLOSS = [
    ("CAPA", "corrective and preventive action", "Process that removes the cause of a nonconformity and prevents recurrence [ref:iso9001]."),
    ("NCR", "nonconformance report", "Record opened when a product or process does not meet a requirement [ref:mas-qm]."),
    ("PPE", "personal protective equipment", "Equipment worn to minimise exposure to hazards [ref:iso45001]."),
    ("SOP", "standard operating procedure", "Controlled document that describes how a routine task is performed."),
    ("LOTO", "lockout-tagout", "Isolation of energy sources before maintenance [ref:iec61010]."),
    ("DAQ", "data acquisition system", "Chassis that reads transducers in raw counts."),
    ("DWT", "dead-weight tester", "Primary pressure standard that generates reference pressures with calibrated masses."),
    ("RTO", "recovery time objective", "Longest acceptable time to restore a service after an outage [ref:itil4]."),
    ("DPO", "data protection officer", "Person who oversees compliance with data-protection law [ref:gdpr]."),
    ("MFA", "multi-factor authentication", "Sign-in that requires two or more independent factors [ref:nist-sp-800-53]."),
    ("HEPA", "high-efficiency particulate air", "Filter class that removes at least 99.97 % of 0.3 um particles [ref:en14644]."),
    ("SDS", "safety data sheet", "Supplier document describing the hazards of a substance [ref:coshh]."),
]
GLOSS_D = {g[0]: g for g in GLOSS}
REFS_D = {r[0]: r for r in REFS}

SENT = [
    "This section applies to all staff and contractors working on Meridian sites",
    "Records are kept in the document control register for at least seven years",
    "The department head approves exceptions in writing before work starts",
    "Deviations are reported on the same working day",
    "Training is refreshed every two years and recorded in the learning system",
    "Suppliers are evaluated before the first order and re-evaluated annually",
    "The owner reviews the procedure after every significant incident",
    "Work stops immediately when a required control is missing",
    "Checks are performed by a second, independent person",
    "Results outside the limits are escalated to Quality Assurance",
]


def tsv(rows, header):
    return "\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows)


def paragraph(rng, terms, refs, n=3):
    out = []
    for _ in range(n):
        s = rng.choice(SENT)
        if terms and rng.random() < 0.6:
            s += f", as required for the [[{rng.choice(terms)}]]" if rng.random() < 0.5 else f"; the [[{rng.choice(terms)}]] applies"
        if refs and rng.random() < 0.55:
            s += f" [ref:{rng.choice(refs)}]"
        out.append(s + ".")
    return " ".join(out)


def document(rng, sections, terms, refs, subsections=False):
    """Markdown body (no front matter): every term and ref used at least once, in a seeded order."""
    t_order, r_order = terms[:], refs[:]
    rng.shuffle(t_order)
    rng.shuffle(r_order)
    parts = []
    for i, title in enumerate(sections):
        parts.append(f"## {title}\n")
        body = paragraph(rng, terms, refs, rng.randint(2, 4))
        forced = []
        if t_order:
            forced.append(f"See also the [[{t_order.pop()}]].")
        if r_order:
            forced.append(f"Background is given in [ref:{r_order.pop()}].")
        parts.append(body + " " + " ".join(forced) + "\n")
        if subsections and i % 2 == 1:
            parts.append(f"### {title} checks\n")
            parts.append(paragraph(rng, terms, refs, 2) + "\n")
    rest = " ".join([f"Refer to the [[{t}]]." for t in t_order] + [f"See [ref:{r}]." for r in r_order])
    if rest:
        parts.append(rest + "\n")
    return "\n".join(parts)


def fm(fields):
    lines = ["---"]
    for k, v in fields.items():
        if isinstance(v, list):
            lines.append(f"{k}:")
            lines += [f"  - {x}" for x in v]
        elif k == "title":
            lines.append(f'{k}: "{v}"')
        else:
            lines.append(f"{k}: {v}")
    return "\n".join(lines) + "\n---\n\n"


def reset(task):
    d = os.path.join(FAMILY, task)
    for sub in ("environment/data", "tests/inputs"):
        shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
        os.makedirs(os.path.join(d, sub))
    shutil.copy2(os.path.join(HERE, "housecheck.py"), os.path.join(d, "tests"))
    shutil.copy2(os.path.join(FAMILY, "..", "calib", "generator", "vlib.py"), os.path.join(d, "tests"))
    return d


def put(d, rel, text, tests=True):
    for base in ["environment/data"] + (["tests/inputs"] if tests else []):
        p = os.path.join(d, base, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)


def registers(d, prefix, terms, refs, extra_terms=(), extra_refs=()):
    """Registers hold the used entries plus a few unused ones (which must not appear in the output)."""
    g = [GLOSS_D[t] for t in sorted(set(terms) | set(extra_terms))]
    r = [REFS_D[k] for k in sorted(set(refs) | set(extra_refs) | {k for t in terms for k in __import__("re").findall(r"\[ref:([\w.-]+)\]", GLOSS_D[t][2])})]
    put(d, prefix + "glossary.tsv", tsv(g, ["abbr", "long", "definition"]))
    put(d, prefix + "refs.tsv", tsv(r, ["key", "author", "year", "title", "publisher"]))


MANIFEST_OK = """[document]
sources    = [{sources}]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = [{formats}]
outdir     = "{outdir}"
"""


def task_a1():
    d = reset("docs-a1")
    rng = random.Random(301)
    terms, refs = ["PPE", "SOP", "NCR"], ["iso45001", "mas-qm", "coshh"]
    f = {"title": "Operations handbook: site induction", "doc-id": "MAS-OPS-2024-014", "revision": 1, "classification": "internal",
         "owner": "tomas.berg@meridian.example", "issued": "2024-02-05", "review-date": "2025-02-05"}
    body = document(rng, ["Purpose", "Scope", "Induction steps", "Records"], terms, refs)
    chunks = body.split("## ")
    put(d, "handbook-ops/00-front.md", fm(f) + "## " + chunks[1])
    put(d, "handbook-ops/10-scope.md", "## " + chunks[2])
    put(d, "handbook-ops/20-steps.md", "## " + chunks[3])
    put(d, "handbook-ops/30-records.md", "## " + "## ".join(chunks[4:]))
    registers(d, "handbook-ops/", terms, refs, extra_terms=["LOTO"], extra_refs=["itil4"])


def task_a2():
    d = reset("docs-a2")
    rng = random.Random(302)
    terms, refs = ["CAPA", "NCR", "SDS"], ["iso9001", "mas-qm", "coshh"]
    body = document(rng, ["Background", "Findings", "Actions", "Follow-up"], terms, refs)
    put(d, "supplier-audit/body.md", body)
    registers(d, "supplier-audit/", terms, refs)
    put(d, "supplier-audit/docbuild.toml", """[document]
sources    = ["body.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2024.css"
formats    = ["html"]
outdir     = "build"
""")


def task_a3():
    d = reset("docs-a3")
    rng = random.Random(303)
    terms, refs = ["LOTO", "PPE", "SOP"], ["iec61010", "iso45001", "coshh", "mas-qm"]
    f = {"title": "Electrical maintenance in the instrument workshop", "doc-id": "MAS-ENG-2023-031", "revision": 2,
         "classification": "internal", "owner": "ines.alvarez@meridian.example", "issued": "2024-01-22", "review-date": "2025-01-22"}
    put(d, "workshop-electrical/workshop.md", fm(f) + document(rng, ["Scope", "Isolation", "Testing", "Return to service"], terms, refs, subsections=True))
    registers(d, "workshop-electrical/", terms, refs)
    put(d, "workshop-electrical/docbuild.toml", """[document]
sources    = ["workshop.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "../style/mas-2019.css"
filters    = ["glossary", "refnum", "sectnum"]
formats    = ["html"]
outdir     = "build"
""")
    put(d, "style/mas-2019.css", open(os.path.join(ROOT, "environments/docs/opt/meridian/style/mas-2019.css")).read())


def task_a4():
    d = reset("docs-a4")
    rng = random.Random(304)
    # glossary definitions cite references that the body never cites: only glossary->refnum numbers them
    terms, refs = ["MFA", "RTO", "DPO"], ["iso9001", "mas-qm"]
    f = {"title": "Access to laboratory information systems", "doc-id": "MAS-IT-2024-007", "revision": 1, "classification": "internal",
         "owner": "priya.nair@meridian.example", "issued": "2024-04-15", "review-date": "2025-04-15"}
    put(d, "lims-access/00-lims-access.md", fm(f) + document(rng, ["Purpose", "Accounts", "Sign-in", "Outages"], terms, refs))
    registers(d, "lims-access/", terms, refs, extra_refs=["iso17025"])


def task_e1():
    d = reset("docs-e1")
    rng = random.Random(401)
    terms, refs = ["HEPA", "PPE", "SOP", "SDS"], ["en14644", "iso17025"]
    f = {"title": "Cleanroom gowning and entry", "doc-id": "MAS-LAB-2024-058", "revision": 1, "classification": "internal",
         "owner": "kofi.mensah@meridian.example", "issued": "2024-06-03", "review-date": "2025-06-03"}
    body = document(rng, ["Scope", "Before entry", "Gowning sequence", "Inside the cleanroom", "Exit"], terms, refs, subsections=True)
    chunks = body.split("\n## ")
    put(d, "lab-sops/sops/cleanroom-gowning/gowning-1.md", fm(f) + chunks[0] + "\n")
    put(d, "lab-sops/sops/cleanroom-gowning/gowning-2.md", "## " + "\n## ".join(chunks[1:3]) + "\n")
    put(d, "lab-sops/sops/cleanroom-gowning/gowning-3.md", "## " + "\n## ".join(chunks[3:]) + "\n")
    registers(d, "lab-sops/registers/", terms, refs, extra_terms=["LOTO", "DAQ"], extra_refs=["hse-l8", "iso9001"])
    put(d, "lab-sops/README.md", """# lab-sops

Standard operating procedures of the Calibration Laboratory, one directory per document under `sops/`.
Shared registers live in `registers/` (do not copy them into the document directories).
Published builds go to `public/` at the top of this repository (not under the document directory),
so the intranet sync job picks them up. The chapter order of a document is given by the numeric
suffix of its files.
""")
    put(d, "lab-sops/public/.keep", "")


def task_e2():
    d = reset("docs-e2")
    rng = random.Random(402)
    terms, refs = ["DPO", "MFA", "RTO"], ["gdpr", "nist-sp-800-53", "itil4", "mas-qm"]
    f = {"title": "Handling personal data in customer projects", "doc-id": "MAS-QA-2024-021", "revision": 3, "classification": "internal",
         "owner": "lena.hoffmann@meridian.example", "issued": "2024-05-06", "review-date": "2025-05-06"}
    body = document(rng, ["Scope", "Roles", "Storage", "Incidents"], terms, refs)
    # two typos a colleague made: a citation key and a glossary marker that are not in the registers
    body = body.replace("[ref:nist-sp-800-53]", "[ref:nist-800-53]", 1)
    i = body.rfind("[[DPO]]")
    body = body[:i] + "[[D.P.O.]]" + body[i + len("[[DPO]]"):]
    put(d, "personal-data/personal-data.md", fm(f) + body)
    registers(d, "personal-data/", terms, refs)
    put(d, "personal-data/docbuild.toml", MANIFEST_OK.format(sources='"personal-data.md"', formats='"html"', outdir="build"))


def task_e3():
    d = reset("docs-e3")
    rng = random.Random(403)
    terms, refs = ["CAPA", "NCR", "PPE"], ["hse-l8", "iso45001", "mas-qm"]
    f = {"title": "Legionella control in laboratory water systems", "doc-id": "MAS-HSE-2022-009", "revision": 2, "classification": "restricted",
         "owner": "marek.kowalski@meridian.example", "issued": "2023-05-31", "review-date": "2023-11-30",
         "distribution": ["Health, Safety & Environment", "Facilities"]}
    put(d, "legionella/legionella.md", fm(f) + document(rng, ["Scope", "Responsibilities", "Monitoring", "Actions on results"], terms, refs))
    registers(d, "legionella/", terms, refs)
    put(d, "legionella/docbuild.toml", """[document]
sources    = ["legionella.md"]
glossary   = "glossary.tsv"
references = "refs.tsv"
style      = "/opt/meridian/style/mas-2019.css"
formats    = ["html"]
outdir     = "build"
""")


def task_e4():
    import lp12  # noqa: F401  (calib family reference implementation, for the field data)
    sys.path.insert(0, os.path.join(FAMILY, "..", "calib", "generator"))
    import gen as cgen
    d = reset("docs-e4")
    shutil.copy2(os.path.join(FAMILY, "..", "calib", "generator", "lp12.py"), os.path.join(d, "tests"))
    rng = random.Random(404)
    ids = cgen.reg_ids("P", 3, "PX-200", 381)
    reg = cgen.sensor_register(rng, ids)
    rows, sess = cgen.make_session(4041, "S24-044", "R2", [i for i, _ in ids], {"LO": 20.0, "HI": 180.0}, reg=reg)
    fit = lp12.fit_session(cgen.number(rows), sess, lp12.sensors_by_id(reg))
    put(d, "bulletin/data/fit-S24-044.json", json.dumps(cgen.calx_fit_json(sess, fit), indent=2) + "\n")
    put(d, "bulletin/data/sensors.csv", cgen.csv_text(reg, ["sensor_id", "model", "alpha_ppm_per_K"]))
    alpha = {r["sensor_id"]: float(r["alpha_ppm_per_K"]) for r in reg}
    field, n = [], 0
    sites = {"P-381": "borehole BH-2", "P-382": "borehole BH-5", "P-383": "tank T-1"}
    for day in range(1, 31):
        for hour in (2, 8, 14, 20):
            for s, _ in ids:
                n += 1
                temp = 8 + 10 * rng.random() + (7 if hour == 14 else 0)
                p = {"P-381": 112, "P-382": 87, "P-383": 140}[s] + 4 * rng.random()
                c = (p - fit[s]["offset"]) / fit[s]["gain"] * (1 + alpha[s] * 1e-6 * (temp - 25.0)) + rng.gauss(0, 2)
                field.append({"reading_id": f"M{n:05d}", "time": f"2024-09-{day:02d}T{hour:02d}:00:00Z", "sensor_id": s,
                              "raw_counts": f"{c:.1f}", "temp_C": f"{temp:.2f}"})
    put(d, "bulletin/data/field-2024-09.csv", cgen.csv_text(field, ["reading_id", "time", "sensor_id", "raw_counts", "temp_C"]))
    put(d, "bulletin/sites.csv", "sensor_id,site\n" + "".join(f"{k},{v}\n" for k, v in sites.items()))
    terms, refs = ["DAQ"], ["lp12c"]
    put(d, "bulletin/glossary.tsv", tsv([GLOSS_D["DAQ"], GLOSS_D["DWT"]], ["abbr", "long", "definition"]))
    put(d, "bulletin/refs.tsv", tsv([REFS_D["lp12c"], REFS_D["iso17025"]], ["key", "author", "year", "title", "publisher"]))


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(FAMILY, "..", "calib", "generator"))
    import lp12  # noqa: E402,F401
    globals()["lp12"] = lp12
    for t in (task_a1, task_a2, task_a3, task_a4, task_e1, task_e2, task_e3, task_e4):
        t()
        print("generated", t.__name__)

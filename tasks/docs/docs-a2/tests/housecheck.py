"""MAS-DS-7 house-style checks for verifiers (python3 stdlib only; a copy lives in each task's tests/).

Source level: manifest, front matter, register usage. Output level: the HTML docbuild writes,
parsed with html.parser for structure (meta fields, style, section numbering and order,
citation numbering, glossary expansion), never for pixel formatting.
"""
import calendar
import datetime
import html.parser
import os
import re
import tomllib

HOUSE_FILTERS = ["glossary", "refnum", "sectnum"]
HOUSE_STYLE = "/opt/meridian/style/mas-2024.css"


# ------------------------------------------------------------------ source level
def _scalar(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    return v


def front_matter(text):
    """(fields or None, body). A YAML subset: `key: value`, `key: [a, b]`, `key:` + `  - item` lines."""
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 4)
    if end < 0:
        end = text.find("\n...\n", 4)
    if end < 0:
        return None, text
    fields, key = {}, None
    for line in text[4:end].split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^([A-Za-z][\w-]*):\s*(.*)$", line)
        if m:
            key, val = m.group(1), m.group(2).strip()
            if val.startswith("[") and val.endswith("]"):
                fields[key] = [_scalar(x) for x in val[1:-1].split(",") if x.strip()]
            else:
                fields[key] = [] if val == "" else _scalar(val)
            continue
        m = re.match(r"^\s*-\s+(.*)$", line)
        if m and key is not None and isinstance(fields.get(key), list):
            fields[key].append(_scalar(m.group(1)))
    return fields, text[end + 5:]


def add_months(iso, months):
    d = datetime.date.fromisoformat(iso)
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1])).isoformat()


def expected_review_date(issued, classification):
    return add_months(issued, 6 if classification == "restricted" else 12)


def read_tsv(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] in ("key", "abbr"):
                continue
            rows[parts[0]] = parts
    return rows


def load_doc(docdir):
    """Manifest + concatenated sources as docbuild reads them. Raises on a missing/invalid manifest."""
    with open(os.path.join(docdir, "docbuild.toml"), "rb") as f:
        man = tomllib.load(f)["document"]
    texts = [open(os.path.join(docdir, s), encoding="utf-8").read() for s in man["sources"]]
    fields, body = front_matter(texts[0])
    body = "\n".join([body] + texts[1:])
    reg = {}
    for k in ("glossary", "references"):
        reg[k] = read_tsv(os.path.join(docdir, man[k])) if man.get(k) else {}
    return man, fields, body, reg


def citations(body):
    return re.findall(r"\[ref:([\w.-]+)\]", body)


def gloss_marks(body):
    return re.findall(r"\[\[([^\]]+)\]\]", body)


def bare_abbrs(body, abbrs):
    """Uses of register abbreviations written without [[...]] markup (product names like DWT-7 excepted)."""
    plain = re.sub(r"\[\[[^\]]+\]\]", " ", body)
    return sorted({a for a in abbrs if re.search(rf"(?<![\w\[-]){re.escape(a)}(?![\w-])", plain)})


def norm(s):
    """Compare text modulo whitespace, case and pandoc's smart typography (quotes, dashes, ellipsis)."""
    s = str(s).translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}))
    return re.sub(r"\s+", " ", s.replace("\u2026", "...")).strip().lower()


# ------------------------------------------------------------------ HTML level
class _P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.css, self.body_class = {}, [], None
        self.stack = []          # open tags we track
        self.events = []         # (kind, data) in document order
        self.cur = None          # (kind, [text]) being collected
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.css.append(a.get("href"))
        elif tag == "body":
            self.body_class = a.get("class", "")
        elif tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        cls = (a.get("class") or "").split()
        kind = None
        if tag in ("h2", "h3"):
            kind = tag
        elif tag == "a" and "mas-ref" in cls:
            kind = "ref"
        elif tag == "span" and "mas-gls" in cls:
            kind = "gls"
            self.events.append(("gls_title", a.get("title", "")))
        elif tag in ("dt", "dd", "li", "td", "th", "p"):
            kind = tag
        if kind:
            self.stack.append((tag, kind, []))
        self.events.append(("open", tag))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if self.stack and self.stack[-1][0] == tag:
            t, kind, buf = self.stack.pop()
            text = re.sub(r"\s+", " ", "".join(buf)).strip()
            self.events.append((kind, text))
            if self.stack:
                self.stack[-1][2].append(text if kind in ("ref", "gls") else "")

    def handle_data(self, data):
        if self.in_main:
            self.events.append(("text", data))
            if self.stack:
                self.stack[-1][2].append(data)


def parse_html(path):
    p = _P()
    p.feed(open(path, encoding="utf-8").read())
    h2 = [t for k, t in p.events if k == "h2"]
    doc = {"meta": p.meta, "css": p.css, "body_class": p.body_class or "", "h2": h2,
           "h3": [t for k, t in p.events if k == "h3"], "events": p.events}
    # split main into body part and appendices by the h2 titles
    sec, body_text, refs_seq, gls_in_body, glossary_dt, glossary_dd, ref_items = None, [], [], [], [], [], []
    for k, t in p.events:
        if k == "h2":
            sec = re.sub(r"^[\d.]+\s+", "", t)
            continue
        if sec == "Glossary":
            if k == "dt":
                glossary_dt.append(t)
            elif k == "dd":
                glossary_dd.append(t)
        elif sec == "References":
            if k == "li":
                ref_items.append(t)
        else:
            if k == "text":
                body_text.append(t)
            elif k == "gls":
                gls_in_body.append(t)
        if k == "ref":
            refs_seq.append(t)
    doc.update(body_text=re.sub(r"\s+", " ", "".join(body_text)), refs_seq=refs_seq, gls_in_body=gls_in_body,
               glossary_dt=glossary_dt, glossary_dd=glossary_dd, ref_items=ref_items)
    return doc


def expected_numbering(body, glossary):
    """Citation keys in the order MAS-DS-7 numbers them: body text first (glossary markers expanded do
    not add citations), then the Glossary definitions of the used terms in alphabetical order.
    Returns (sequence of numbers for every citation, key order)."""
    used = []
    for a in gloss_marks(body):
        if a not in used:
            used.append(a)
    text = body
    for a in sorted(used, key=str.lower):
        text += "\n" + glossary[a][2]
    keys = citations(text)
    order = []
    for k in keys:
        if k not in order:
            order.append(k)
    return [order.index(k) + 1 for k in keys], order


def check_built_html(c, path, docdir_src, expect_fields, refs_reg, gloss_reg, prefix=""):
    """Standard MAS-DS-7 structure checks of a built HTML against the source (a pristine copy).
    c is a vlib.Checks; expect_fields maps front-matter field -> expected value."""
    man, fields, body, reg = load_doc(docdir_src) if isinstance(docdir_src, str) else docdir_src
    d = parse_html(path)
    for f, v in expect_fields.items():
        c.add(f"{prefix}meta_{f}", norm(d["meta"].get("mas-" + f, "")) == norm(v), f"got {d['meta'].get('mas-' + f)!r}, expected {v!r}")
    c.add(f"{prefix}house_style_sheet", d["css"] == [HOUSE_STYLE] and "draft" not in d["body_class"].split(),
          f"stylesheets {d['css']}, body class {d['body_class']!r}")
    nums = [re.match(r"^(\d+)\s", t) for t in d["h2"]]
    c.add(f"{prefix}sections_numbered", all(nums) and [int(m.group(1)) for m in nums] == list(range(1, len(nums) + 1)),
          f"h2 headings: {d['h2']}")
    titles = [re.sub(r"^[\d.]+\s+", "", t) for t in d["h2"]]
    used = []
    for a in gloss_marks(body):
        if a not in used:
            used.append(a)
    tail = (["Glossary"] if used else []) + (["References"] if citations(body) or used else [])
    c.add(f"{prefix}glossary_then_references_last", titles[-len(tail):] == tail if tail else True, f"section titles: {titles}")
    seq, order = expected_numbering(body, gloss_reg)
    got_seq = [int(x) for x in re.findall(r"\[R(\d+)\]", " ".join(d["refs_seq"]))]
    c.add(f"{prefix}citation_numbers", got_seq == seq, f"citations in document order: got {got_seq}, expected {seq}")
    items = d["ref_items"]
    ok = len(items) == len(order) and all(
        re.match(rf"^\[R{i}\]", it) and norm(refs_reg[k][3]) in norm(it) for i, (it, k) in enumerate(zip(items, order), 1))
    c.add(f"{prefix}reference_list", ok, f"{len(items)} entries, expected {len(order)} in order {order}")
    bt = d["body_text"]
    bad = [a for a in used if bt.count(f"{gloss_reg[a][1]} ({a})") != 1]
    c.add(f"{prefix}glossary_first_use", not bad and len(d["gls_in_body"]) == len(gloss_marks(body)),
          f"terms not expanded exactly once: {bad}; marked uses {len(d['gls_in_body'])} of {len(gloss_marks(body))}")
    c.add(f"{prefix}glossary_section", d["glossary_dt"] == sorted(used, key=str.lower), f"glossary terms {d['glossary_dt']}, expected {sorted(used, key=str.lower)}")
    raw = open(path, encoding="utf-8").read()
    c.add(f"{prefix}no_unresolved_markup", not re.search(r"\[ref:|\[\[|\?\?|R\?", raw), "found [ref:, [[, ?? or R? in the HTML")
    return d


def load_sources(docdir, sources, glossary, references):
    """Like load_doc for a pristine copy without (or with a different) manifest."""
    texts = [open(os.path.join(docdir, s), encoding="utf-8").read() for s in sources]
    fields, body = front_matter(texts[0])
    body = "\n".join([body] + texts[1:])
    return {}, fields, body, {"glossary": read_tsv(os.path.join(docdir, glossary)), "references": read_tsv(os.path.join(docdir, references))}


def check_receipt(c, outdir, doc_id, html_path):
    import hashlib
    import json as _json
    try:
        r = _json.load(open(os.path.join(outdir, f"{doc_id}.receipt.json")))
    except Exception as e:  # noqa: BLE001
        return c.add("docbuild_receipt", False, f"no readable receipt: {e}")
    h = hashlib.sha256(open(html_path, "rb").read()).hexdigest()
    ok = r.get("strict") is True and r.get("filters") == HOUSE_FILTERS and r.get("outputs", {}).get(os.path.basename(html_path)) == h
    return c.add("docbuild_receipt", ok, f"strict={r.get('strict')}, filters={r.get('filters')}, html hash matches={r.get('outputs', {}).get(os.path.basename(html_path)) == h}")

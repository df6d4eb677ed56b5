"""The search index is exact: for every query the results are the public records whose normalised indexed text
contains it — checked against a plain substring search over the library, never against the index itself."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from datetime import date

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.read.history import HistoryError, read_histories
from pipeline.model.library import load_library
from pipeline.model.records import Submitter, start_of_day
from pipeline.model.publication import publish
from pipeline.search.index import (PIECE_BYTES, SHARD_BYTES, build_search_index, decode_numbers, encode_numbers, fnv1a,
                                   indexed_text, normalise, query_words)
from pipeline.search.codec import key_name
from pipeline.search.page import render_search_page
from pipeline.search.query import SearchIndex, cover, files_for_first_page
from tests.corpus import Writer, exemplar, generated_publication, publication_with
from tests.factories import BUILT_AT, REPO, add_record, make_repo, new_id, publication_of, record_data

EXPLICIT = ["芯片", "石墨烯", "智能电网"]
EXEMPLAR_PERSON = "林晓峰"  # three characters, in the exemplar's people
EXEMPLAR_UNIT = "甬芯半导体科技有限公司（演示）"


# --- truth: a substring search over the library ----------------------------------------------------------

class Truth:
    """What a query must find, computed from the records without the index."""

    def __init__(self, pub):
        self.records = pub.records
        self.texts = {r.id: indexed_text(r) for r in pub.records}
        self.titles = {r.id: normalise(r.title) for r in pub.records}

    def __call__(self, query: str) -> list[str]:
        words = query_words(query)
        if not words:
            return []
        found = [r.id for r in self.records if all(w in self.texts[r.id] for w in words)]
        in_title = [i for i in found if all(w in self.titles[i] for w in words)]
        return in_title + [i for i in found if i not in set(in_title)]  # publication order: newest entry first


def sampled_queries(pub, lengths, per_length: int, seed: int) -> list[str]:
    """Substrings of the records' indexed text, so most queries have results; a few span a field separator
    (two words) or a space."""
    rng = random.Random(seed)
    texts = [indexed_text(r) for r in pub.records]
    queries = []
    for length in lengths:
        for _ in range(per_length):
            text = rng.choice(texts)
            start = rng.randrange(max(1, len(text) - length + 1))
            queries.append(text[start:start + length])
    return queries


def absent_queries(pub, count: int, seed: int) -> list[str]:
    """Pairs of bigrams that each occur somewhere: mostly found in no record, so precision is tested."""
    halves = sampled_queries(pub, [2], count * 2, seed)
    return [a + b for a, b in zip(halves[::2], halves[1::2])]


def assert_exact(files, truth: Truth, queries) -> None:
    index = SearchIndex(files)
    wrong = {q: (index.search(q), truth(q)) for q in queries if index.search(q) != truth(q)}
    assert not wrong, f"{len(wrong)} of {len(queries)} queries differ, e.g. {next(iter(wrong.items()))}"


# --- the fixture library: real record files, loaded and published --------------------------------------

def _generated_data(n: int, writer: Writer) -> dict:
    base = record_data()
    names = list(dict.fromkeys(writer.unit() for _ in range(2)))
    units = [dict(unit, name=name) for unit, name in zip(base["units"], names)]
    summary = writer.paragraph(2)
    while len(summary) < 40:
        summary += writer.sentence()
    return record_data(
        id=new_id(100 + n), title=(writer.phrase(2) + "关键技术")[:60], summary=summary[:280],
        description=writer.description(), innovations=[writer.paragraph(1)[:290] for _ in range(2)],
        units=units, people=[dict(name=writer.person(), units=[names[0]], role="完成人") for _ in range(3)],
        tags=list(dict.fromkeys(writer.word() for _ in range(3))),
        entered=date.fromordinal(date(2024, 3, 1).toordinal() + 9 * n).isoformat(),
    )


GRAPHENE_SUMMARY = ("面向电子器件散热需求，突破石墨烯导热膜连续化制备、高温石墨化和卷对卷压延等关键技术，建成年产十万平方米的"
                    "生产线，导热系数达到每米开尔文一千五百瓦以上，产品已供应国内主要手机和笔记本电脑企业。")

HAND_MADE = {
    # "石墨烯" in the title of an old record and only in the body of a newer one: the old one ranks first.
    "graphene-title": dict(id=new_id(1), title="石墨烯导热膜规模化制备关键技术", summary=GRAPHENE_SUMMARY,
                           entered="2024-01-10"),
    "graphene-body": dict(id=new_id(2), title="电子器件高效散热材料研制及应用",
                          summary="研制出以石墨烯为主要成分的高效散热材料，已在多家电子企业批量应用，散热效率明显提升。",
                          entered="2025-08-01"),
    # "智能" and "电网" only as two separate tags: "智能电网" must not match across the field separator.
    "split-tags": dict(id=new_id(3), title="配电网巡检机器人研制",
                       summary="研制出适用于城市配电网的巡检机器人，实现设备缺陷自动识别和远程诊断，已在全省推广使用。",
                       tags=["智能", "电网"], entered="2025-02-01"),
    # Repeated characters: overlapping bigram occurrences.
    "repeats": dict(id=new_id(4), title="多多多功能芯片芯片测试平台",
                    summary="建成多多多通道芯片芯片级联测试平台，测试效率提升三倍以上，服务省内芯片设计企业一百余家。",
                    entered="2025-02-02"),
    # Full-width and mixed-case Latin: NFKC and lower case on both sides.
    "latin": dict(id=new_id(5), title="ＧａＮ射频功率器件研制", title_en="GaN RF Power Devices",
                  summary="突破 ＧａＮ 外延与 HEMT 器件工艺，研制出 5G 基站用射频功率器件，性能达到国际先进水平。",
                  entered="2025-02-03"),
    # Markdown: the plain text is indexed ("加粗石墨烯"), not the markup or the link target.
    "markdown": dict(id=new_id(6), title="柔性显示材料关键技术",
                     description="## 主要内容\n\n研制出**加粗**石墨烯透明电极，详见[技术说明](https://example.org/tech/film)。\n\n"
                                 "- 第一项：柔性基板\n- 第二项：封装薄膜\n", entered="2025-02-04"),
}
EMBARGOED = dict(id=new_id(7), title="保密期内的量子点显示关键技术", publish_at="2027-01-01T09:00:00+08:00",
                 summary="研制出鹦鹉螺纹理量子点显示面板，色域覆盖率达到百分之一百一十，将在保密期结束后公开。",
                 entered="2025-03-01")
WITHDRAWN = dict(id=new_id(8), title="已撤回的柔性电子皮肤研究", withdrawn={"date": "2025-05-01", "reason": "报送单位申请撤回。"},
                 summary="研制出蜂鸟翅膀结构的柔性电子皮肤，可同时感知压力、温度和湿度，灵敏度达到国际先进水平。",
                 entered="2025-03-02")


def _write_fixture_library(root) -> None:
    make_repo(root)
    writer = Writer(seed=5)
    for n in range(36):
        add_record(root, _generated_data(n, writer))
    for overrides in [*HAND_MADE.values(), EMBARGOED, WITHDRAWN]:
        add_record(root, record_data(**overrides))


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("search") / "repo"
    _write_fixture_library(root)
    return root


@pytest.fixture(scope="module")
def fixture_pub(fixture_root):
    return publication_of(fixture_root)


@pytest.fixture(scope="module")
def fixture_files(fixture_pub):
    return build_search_index(fixture_pub)


@pytest.fixture(scope="module")
def corpus_pub():
    return generated_publication(1000)


@pytest.fixture(scope="module")
def corpus_files(corpus_pub):
    return build_search_index(corpus_pub)


def _demo_publication():
    """The repository's own library, when it has grown to 30 records (another team member writes it)."""
    try:
        history = read_histories(REPO)
    except HistoryError:
        history = None
    result = load_library(REPO, today=BUILT_AT.date(), history=history)
    if result.library is None:
        return None
    dated = tuple(r if r.entered else dataclasses.replace(r, entered=start_of_day(date(2025, 1, 1)))
                  for r in result.library.records)
    library = dataclasses.replace(result.library, records=dated)
    pub = publish(library, BUILT_AT, "https://zlhcg.example.org/", "浙里好成果")
    return pub if len(pub.records) >= 30 else None


# --- normalisation and indexed text ----------------------------------------------------------------------

def test_normalise_folds_width_case_and_whitespace():
    assert normalise("  ＳｉＣ\u3000功率\n\t模块 ") == "sic 功率 模块"
    assert normalise("甬芯（演示）①") == "甬芯(演示)1"
    assert normalise("\u00a0\u2003") == ""
    assert query_words(" 芯片　石墨烯 ") == ["芯片", "石墨烯"]
    assert query_words("   ") == []


@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "\n" not in once  # so the field separator never occurs in a query word


def test_indexed_text_has_every_searchable_field_and_only_plain_text():
    text = indexed_text(exemplar())
    fields = text.split("\n")
    assert fields[0] == "车规级碳化硅功率模块关键技术及产业化"
    for expected in ["key technologies and industrialisation of automotive-grade sic power modules",
                     "甬芯半导体科技有限公司(演示)", "东海大学(演示)", "林晓峰", "阿不都·热合曼", "甬江实验室(演示)",
                     "先进半导体材料", "新材料", "技术攻关成果", "碳化硅", "功率模块", "新能源汽车", "宁波市科学技术局",
                     "zs-1200a 车规级碳化硅功率模块", "浙江某新能源汽车有限公司(演示)"]:
        assert expected in fields, expected
    assert "研究背景 碳化硅(sic)功率模块是新能源汽车电驱系统的核心器件" in text
    assert "低缺陷生长工艺" in text  # the bold markup is gone
    assert "网上技术市场展示页" in text and "example.org" not in text  # link text, not its target
    assert "##" not in text and "**" not in text
    assert "总工程师" not in text and "tech@example.com" not in text  # not searchable fields


# --- the number code, hash and cover, checked by hand ----------------------------------------------------

def test_number_code_by_hand():
    assert encode_numbers([0, 45, 46, 2115, 2116]) == "#P" + "Q#" + "~P" + "QQ#"
    assert decode_numbers("#PQ#~PQQ#") == [0, 45, 46, 2115, 2116]


@given(st.lists(st.integers(min_value=0, max_value=10**9)))
def test_number_code_round_trip(numbers):
    assert decode_numbers(encode_numbers(numbers)) == numbers


def test_fnv1a_matches_the_published_test_vectors():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


def test_cover_spans_every_character_at_least_cost():
    assert cover(2, [5]) == [0]
    assert cover(4, [1, 1, 1]) == [0, 2]
    assert cover(5, [1, 1, 1, 1]) == [0, 2, 3]
    assert cover(5, [1, 1, 100, 1]) == [0, 1, 3]  # avoids the expensive bigram at offset 2


# --- exactness -------------------------------------------------------------------------------------------

def test_fixture_library_sampled_queries_are_exact(fixture_pub, fixture_files):
    queries = [*sampled_queries(fixture_pub, [1, 2, 3, 4, 6, 9], 60, seed=11), *absent_queries(fixture_pub, 40, 12)]
    assert_exact(fixture_files, Truth(fixture_pub), queries)


def test_fixture_library_explicit_queries(fixture_pub, fixture_files):
    truth, index = Truth(fixture_pub), SearchIndex(fixture_files)
    for query in [*EXPLICIT, EXEMPLAR_PERSON, EXEMPLAR_UNIT, "ＳＩＣ", "gan", "加粗石墨烯", "多多多", "芯片 石墨烯"]:
        assert truth(query), query  # the fixture library has each of them
        assert index.search(query) == truth(query), query
    assert set(index.search(EXEMPLAR_PERSON)) >= {HAND_MADE[k]["id"] for k in HAND_MADE}


def test_fixture_library_edge_cases(fixture_files):
    index = SearchIndex(fixture_files)
    graphene = index.search("石墨烯")  # the older record with it in the title comes before the newer one
    assert graphene.index(HAND_MADE["graphene-title"]["id"]) < graphene.index(HAND_MADE["graphene-body"]["id"])
    split = HAND_MADE["split-tags"]["id"]
    assert split not in index.search("智能电网")  # tags "智能" and "电网" are two fields
    assert split in index.search("智能") and split in index.search("电网") and split in index.search("智能 电网")
    repeats = HAND_MADE["repeats"]["id"]
    assert repeats in index.search("多多多") and repeats not in index.search("多多多多")
    assert repeats in index.search("芯片芯片") and repeats not in index.search("芯片芯片芯片")
    latin = HAND_MADE["latin"]["id"]
    assert latin in index.search("gan rf") and latin in index.search("ＧＡＮ") and latin in index.search("Hemt")
    assert index.search("example.org") == []  # a link target in Markdown is not content
    assert index.search("") == [] and index.search("   ") == []


def test_fixture_library_is_exact_with_tiny_shards(fixture_pub):
    """Many shards, many own-file keys and small metadata chunks: the same answers."""
    files = build_search_index(fixture_pub, shard_bytes=512, big_bytes=200, piece_bytes=100, meta_chunk=3)
    manifest = json.loads(files["search/manifest.json"])
    assert manifest["bigramShards"] > 50 and len(manifest["big"]) > 50
    assert sum(path.startswith("search/p/") for path in files) > 2 * len(manifest["big"])
    queries = [*sampled_queries(fixture_pub, [1, 2, 3, 4, 5], 40, seed=13), *EXPLICIT, EXEMPLAR_PERSON]
    assert_exact(files, Truth(fixture_pub), queries)


def test_demo_library_is_exact():
    pub = _demo_publication()
    if pub is None:
        pytest.skip("results/ has fewer than 30 valid records so far; the fixture library stands in for it")
    files = build_search_index(pub)
    person = next(p.name for r in pub.records for p in r.people if len(p.name) == 3)
    units = [r.units[-1].name for r in pub.records[::7]]
    queries = [*sampled_queries(pub, [1, 2, 3, 4, 8], 80, seed=17), *absent_queries(pub, 30, 18), *EXPLICIT,
               person, *units]
    assert_exact(files, Truth(pub), queries)


def test_generated_corpus_is_exact(corpus_pub, corpus_files):
    truth = Truth(corpus_pub)
    person = next(p.name for r in corpus_pub.records for p in r.people if len(p.name) == 3)
    unit = corpus_pub.records[500].units[0].name
    explicit = [*EXPLICIT, person, unit, "智能电网 芯片"]
    assert all(truth(q) for q in explicit)
    queries = [*sampled_queries(corpus_pub, [2, 3, 4], 100, seed=19), *sampled_queries(corpus_pub, [1, 7], 15, seed=20),
               *absent_queries(corpus_pub, 30, 21), *explicit]
    assert_exact(corpus_files, truth, queries)


def _bare(record, n: int, title: str, summary: str, description: str):
    """Only three text fields, so generated examples control all of the indexed text."""
    return dataclasses.replace(
        record, id=new_id(n), title=title, summary=summary, description=description, title_en="", innovations=(),
        units=(), people=(), platform="", field="", highland="", category="", tags=(), breakthrough=None,
        application=None, papers=(), submitter=Submitter("", "", ""),
        entered=start_of_day(date.fromordinal(date(2025, 1, 1).toordinal() + n % 3)))


ALPHABET = "ab芯片石墨烯 Ａ①ﬁΣσ\u00a8-"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(*[st.text(ALPHABET, max_size=25)] * 3), min_size=1, max_size=6),
       queries=st.lists(st.text(ALPHABET, min_size=1, max_size=6), min_size=1, max_size=6),
       sizes=st.sampled_from([(64, 16, 8, 2), (SHARD_BYTES, 12 * 1024, PIECE_BYTES, 10)]))
def test_any_query_is_exact_on_generated_texts(texts, queries, sizes):
    records = tuple(_bare(exemplar(), n, *fields) for n, fields in enumerate(texts))
    pub = publication_with(records)
    shard_bytes, big_bytes, piece_bytes, meta_chunk = sizes
    files = build_search_index(pub, shard_bytes=shard_bytes, big_bytes=big_bytes, piece_bytes=piece_bytes,
                               meta_chunk=meta_chunk)
    substrings = [indexed_text(r)[i:i + 3] for r in records for i in range(0, len(indexed_text(r)), 5)]
    assert_exact(files, Truth(pub), [*queries, *substrings])


# --- what is not in the index ----------------------------------------------------------------------------

def _all_keys(files) -> set[str]:
    keys = set()
    for path, content in files.items():
        kind = path.split("/")[1]
        if kind in ("b", "u"):
            keys.update(json.loads(content))
        elif kind in ("d", "p"):
            keys.add(json.loads(content)["key"])
    return keys


def test_embargoed_and_withdrawn_records_are_absent(fixture_pub, fixture_files):
    hidden = [EMBARGOED, WITHDRAWN]
    public_ids = {r.id for r in fixture_pub.records}
    assert not public_ids & {h["id"] for h in hidden}
    index, keys = SearchIndex(fixture_files), _all_keys(fixture_files)
    every_result = [row[0] for path, c in fixture_files.items() if path.startswith("search/m/") for row in json.loads(c)]
    assert sorted(every_result) == sorted(public_ids)
    for record, unique in [(EMBARGOED, "鹦鹉螺"), (WITHDRAWN, "蜂鸟翅膀")]:
        assert index.search(unique) == []
        assert not {unique[i:i + 2] for i in range(len(unique) - 1)} & keys
        for content in fixture_files.values():
            assert record["id"].encode() not in content and record["title"].encode() not in content


def test_embargoed_record_is_found_once_public(fixture_root):
    later = publication_of(fixture_root, built_at=BUILT_AT.replace(year=2027, month=2))
    assert SearchIndex(build_search_index(later)).search("鹦鹉螺") == [EMBARGOED["id"]]


# --- determinism, sizes, metadata, page ------------------------------------------------------------------

def test_batches_and_partitions_do_not_change_a_byte(corpus_pub, corpus_files, monkeypatch):
    """A large library's text is turned into numbers a batch of documents at a time and its keys are sorted in
    partitions (pipeline/search/postings.py); 1,000 records in batches of 7 and partitions of 2,048 positions
    (336 of them: more than fit in a byte) make the same files as the defaults (one batch, two partitions)."""
    from pipeline.search import postings

    monkeypatch.setattr(postings, "BATCH", 7)
    monkeypatch.setattr(postings, "PARTITION", 2048)
    assert build_search_index(corpus_pub) == corpus_files


def test_builds_are_byte_identical(fixture_root, fixture_files):
    assert build_search_index(publication_of(fixture_root)) == fixture_files


def test_builds_do_not_depend_on_hash_seed():
    script = ("import hashlib\nfrom tests.corpus import generated_publication\n"
              "from pipeline.search.index import build_search_index\n"
              "files = build_search_index(generated_publication(150))\n"
              "print(hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest())\n")
    digests = {subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(digests) == 1


def test_file_sizes_and_bytes_per_query_at_1000_records(corpus_files):
    manifest = json.loads(corpus_files["search/manifest.json"])
    assert manifest["docs"] == 1000
    for path, content in corpus_files.items():
        if path.startswith(("search/b/", "search/u/")):
            assert len(content) < 3 * SHARD_BYTES, path
        if path.startswith("search/p/"):
            assert len(content) < 2 * PIECE_BYTES, path
    for query in [*EXPLICIT, "技术", "国际先进水平", "之江大学", "的"]:
        fetched = files_for_first_page(corpus_files, query)
        assert sum(len(corpus_files[p]) for p in fetched) < 1_000_000, query


def test_metadata_of_a_result(fixture_files):
    index = SearchIndex(fixture_files)
    docs = index.search_docs("导热膜")
    [result] = index.results(docs)
    assert result.id == HAND_MADE["graphene-title"]["id"]
    assert result.title == "石墨烯导热膜规模化制备关键技术"
    assert (result.category, result.category_slug) == ("技术攻关成果", "key-technology")
    assert (result.unit, result.entered) == ("甬芯半导体科技有限公司（演示）", "2024-01-10")
    assert len(GRAPHENE_SUMMARY) > 80
    assert result.summary == "面向电子器件散热需求，突破石墨烯导热膜连续化制备、高温石墨化和卷对卷压延等关键技术，建成年产十万平方米的生产线，导热系数达到每米开尔文一千五百瓦以上……"


def test_first_page_fetches_only_what_it_shows(corpus_files):
    index = SearchIndex(corpus_files)
    docs = index.search_docs("技术")
    assert len(docs) > 20
    fetched = files_for_first_page(corpus_files, "技术")
    chunk = json.loads(corpus_files["search/manifest.json"])["metaChunk"]
    assert {p for p in fetched if p.startswith("search/m/")} == {f"search/m/{d // chunk}.json" for d in docs[:20]}


def test_search_page_fragment(fixture_pub):
    html = render_search_page(fixture_pub)
    root = lxml.html.fragment_fromstring(html)
    form = root.get_element_by_id("zl-search-form")
    assert form.get("method") == "get" and form.get("role") == "search"
    assert form.xpath("string(.//label[@for='zl-search-input'])") == "搜索成果"
    field = root.get_element_by_id("zl-search-input")
    assert field.get("name") == "q" and field.get("type") == "search"
    assert root.get_element_by_id("zl-search-status").get("role") == "status"
    results = root.get_element_by_id("zl-search-results")
    assert (results.tag, results.get("data-index-base"), results.get("data-site-root")) == ("ol", "./", "../")
    assert root.get_element_by_id("zl-search-more").get("hidden") is not None
    assert f"在 {len(fixture_pub.records)} 项已公开成果" in html
    assert not root.xpath("//script") and not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
    assert 'data-index-base="x/&quot;"' in render_search_page(fixture_pub, index_base='x/"')


def test_long_queries_fetch_only_the_pieces_holding_candidates(corpus_pub):
    files = build_search_index(corpus_pub, piece_bytes=1024)
    big = json.loads(files["search/manifest.json"])["big"]
    pair = max((k for k in big if len(k) == 2), key=lambda k: big[k][1])
    text = next(t for t in map(indexed_text, corpus_pub.records[100:]) if pair in t[t.index("\n"):])
    at = text.index(pair, text.index("\n"))
    query = text[at - 6:at + 6]
    index = SearchIndex(files)
    assert index.search(query) == Truth(corpus_pub)(query)
    pieces = [p for p in files if p.startswith(f"search/p/{key_name(pair)}-")]
    fetched = [p for p in index.fetched if p in pieces]
    assert len(pieces) > 20 and 0 < len(fetched) < len(pieces) / 4

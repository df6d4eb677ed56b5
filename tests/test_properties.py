"""Property tests: whatever bytes or documents arrive, the loader and validator answer with diagnostics,
never with an exception."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.model.library import load_rules, validate_record
from pipeline.read.sources import Layout, RecordSource
from pipeline.read.strictyaml import YamlRejected, load_bytes, load_mapping
from tests.factories import EXEMPLAR, REPO

EXEMPLAR_BYTES = EXEMPLAR.read_bytes()
RULES = load_rules(Layout(REPO), date(2026, 11, 20))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def validate_bytes(tmp_path, raw: bytes):
    folder = tmp_path / "results" / "2025-3kq8m2va"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2025-3kq8m2va.yaml"
    path.write_bytes(raw)
    checked = validate_record(RecordSource(path, "results/2025-3kq8m2va/2025-3kq8m2va.yaml", ()), RULES)
    for d in checked.diagnostics:
        assert d.message and d.rule and d.file.endswith(".yaml")
    return checked


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_loader(raw):
    try:
        load_mapping(load_bytes(raw, "x.yaml"))
    except YamlRejected as rejected:
        assert rejected.diagnostic.rule.startswith("yaml.")


@SETTINGS
@given(st.text(max_size=500))
def test_random_text_never_crashes_the_loader(text):
    try:
        load_mapping(load_bytes(text.encode("utf-8", "surrogatepass"), "x.yaml"))
    except YamlRejected as rejected:
        assert rejected.diagnostic.message


@st.composite
def mutated_exemplar(draw) -> bytes:
    raw = bytearray(EXEMPLAR_BYTES)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "swap-lines"]))
        at = draw(st.integers(0, len(raw) - 1))
        if kind == "delete":
            del raw[at:at + draw(st.integers(1, 40))]
        elif kind == "insert":
            raw[at:at] = draw(st.sampled_from([b":", b"- ", b"  ", b"\t", b"&a ", b"*a", b"!!python/object ", b"\n",
                                               b"'", b'"', b"{", b"[", b"<script>", "中文".encode(), b"\x00", b"\xff"]))
        elif kind == "replace" and raw:
            raw[at] = draw(st.integers(0, 255))
        else:
            lines = bytes(raw).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            raw = bytearray(b"\n".join(lines))
    return bytes(raw)


@SETTINGS
@given(mutated_exemplar())
def test_mutated_records_only_produce_diagnostics(tmp_path_factory, raw):
    validate_bytes(tmp_path_factory.mktemp("m"), raw)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["id", "title", "summary", "units", "people", "category", "media", "ip",
                                        "transfer", "papers", "evaluations", "withdrawn", "publish_at", "x"]),
                       json_values, max_size=8))
def test_random_documents_only_produce_diagnostics(tmp_path_factory, document):
    raw = yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass")
    validate_bytes(tmp_path_factory.mktemp("r"), raw)


@SETTINGS
@given(st.sampled_from(sorted(yaml.safe_load(EXEMPLAR_BYTES))), json_values)
def test_replacing_any_field_with_random_data_only_produces_diagnostics(tmp_path_factory, key, value):
    data = yaml.safe_load(EXEMPLAR_BYTES)
    data[key] = value
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
    validate_bytes(tmp_path_factory.mktemp("f"), raw)

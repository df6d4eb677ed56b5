"""The parts of `zlhcg deploy` that need no server: object kinds, the plan, the manifest, presets, messages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from pipeline.cli import main
from pipeline.deploy.errors import DeployError
from pipeline.deploy.manifest import ManifestEntry, decode_manifest, encode_manifest
from pipeline.deploy.object_kinds import load_rules
from pipeline.deploy.plan import RemoteObject, make_plan, manifest_after
from pipeline.deploy.progress import Progress
from pipeline.deploy.providers import load_providers, resolve_connection
from pipeline.deploy.s3_errors import client_error_message
from pipeline.deploy.s3_target import parse_location
from pipeline.deploy.site_files import LocalObject, read_site

PHASES = ("assets", "indexes", "home")


def test_every_file_of_the_demo_site_has_a_known_type_and_a_phase(demo_site):
    rules = load_rules()
    for obj in read_site(demo_site, rules):
        assert obj.content_type != rules.default_content_type, obj.key
        assert obj.phase in PHASES
        if obj.key.endswith((".html", ".css", ".js", ".json", ".xml", ".csv", ".svg", ".opml", ".map", ".ics")):
            assert obj.content_type.endswith("; charset=utf-8"), obj.key


def test_only_fingerprinted_theme_files_are_immutable(demo_site):
    immutable = {obj.key for obj in read_site(demo_site, load_rules()) if "immutable" in obj.cache_control}
    assert immutable, "Material's hashed bundle names changed: update object_kinds.yaml"
    names = {Path(key).name.split(".")[0] for key in immutable}
    assert names <= {"bundle", "main", "palette", "search"}
    assert all(key.startswith("assets/") and (".min.js" in key or ".min.css" in key) for key in immutable)
    assert not any(key.startswith("assets/zlhcg/") or "lunr" in key for key in immutable)


@pytest.mark.parametrize("key,phase,cache", [
    ("index.html", "home", "public, max-age=300"),
    ("results/2025-abc/index.html", "assets", "public, max-age=300"),
    ("results/2025-abc/photo.webp", "assets", "public, max-age=86400"),
    ("search/b/3.json", "assets", "public, max-age=300"),
    ("search/manifest.json", "indexes", "public, max-age=60"),
    ("monthly/2025-06/index.html", "indexes", "public, max-age=300"),
    ("feeds/field/big-data.atom.xml", "indexes", "public, max-age=300"),
    ("data/results.json", "indexes", "public, max-age=300"),
    ("404.html", "indexes", "public, max-age=300"),
    ("calendar/events.ics", "indexes", "public, max-age=300"),
])
def test_classification(key, phase, cache):
    kind = load_rules().classify(key)
    assert (kind.phase, kind.cache_control) == (phase, cache)


def local(key: str, md5: str = "a" * 32, size: int = 10, phase: str = "assets") -> LocalObject:
    return LocalObject(key, Path(key), size, md5, "text/html; charset=utf-8", "public, max-age=300", phase)


def entry(obj: LocalObject, etag: str | None = None, cache: str | None = None) -> ManifestEntry:
    return ManifestEntry(obj.md5, etag or obj.md5, obj.content_type, cache or obj.cache_control)


def never_asked(objects):
    raise AssertionError(f"HEAD not expected for {[o.key for o in objects]}")


def test_unchanged_objects_vouched_by_the_manifest_need_no_request():
    obj = local("a.html")
    plan = make_plan([obj], {"a.html": RemoteObject("a.html", obj.md5, 10)}, {"a.html": entry(obj)}, PHASES,
                     never_asked)
    assert plan.totals() == {"upload": (0, 0), "keep": (1, 10), "delete": (0, 0)}


def test_content_is_judged_by_the_listing_not_the_manifest():
    """A manifest entry matching the file cannot save an object whose ETag in the bucket differs."""
    obj = local("a.html")
    plan = make_plan([obj], {"a.html": RemoteObject("a.html", "b" * 32, 10)}, {"a.html": entry(obj)}, PHASES,
                     never_asked)
    assert [o.key for o in plan.upload_objects] == ["a.html"]


def test_non_md5_etags_are_matched_through_the_manifest():
    """Servers that encrypt at rest report ETags that are not the MD5; the ETag recorded at upload stands in."""
    obj = local("a.html")
    remote = {"a.html": RemoteObject("a.html", "opaque-etag-1", 10)}
    kept = make_plan([obj], remote, {"a.html": entry(obj, etag="opaque-etag-1")}, PHASES, never_asked)
    assert kept.totals()["keep"][0] == 1
    changed = make_plan([obj], remote, {"a.html": entry(obj, etag="opaque-etag-0")}, PHASES, never_asked)
    assert changed.totals()["upload"][0] == 1


def test_same_bytes_with_unknown_headers_are_checked_once_each():
    objects = [local("a.html"), local("b.html"), local("c.html")]
    remote = {o.key: RemoteObject(o.key, o.md5, 10) for o in objects}
    manifest = {"a.html": entry(objects[0]), "b.html": entry(objects[1], cache="no-cache")}
    asked = []

    def headers_current(unsure):
        asked.extend(o.key for o in unsure)
        return {"c.html"}

    plan = make_plan(objects, remote, manifest, PHASES, headers_current)
    assert asked == ["b.html", "c.html"]
    assert [o.key for o in plan.upload_objects] == ["b.html"]
    assert sorted(o.key for o, _ in plan.keeps) == ["a.html", "c.html"]


def test_phases_order_uploads_and_deletions_are_what_the_site_lost():
    objects = [local("index.html", phase="home"), local("x/index.html", phase="indexes"), local("assets/a.css")]
    remote = {"old.html": RemoteObject("old.html", "c" * 32, 5)}
    plan = make_plan(objects, remote, {}, PHASES, never_asked)
    assert [(phase, [o.key for o in objs]) for phase, objs in plan.uploads] == [
        ("assets", ["assets/a.css"]), ("indexes", ["x/index.html"]), ("home", ["index.html"])]
    assert [o.key for o in plan.deletions] == ["old.html"]
    assert plan.touched_keys == {"index.html", "x/index.html", "assets/a.css", "old.html"}
    after = manifest_after(plan, {"index.html": "e1", "x/index.html": "e2", "assets/a.css": "e3"})
    assert set(after) == {"index.html", "x/index.html", "assets/a.css"} and after["assets/a.css"].etag == "e3"


def test_manifest_round_trip_and_unreadable_manifests_count_as_empty():
    manifest = {"a.html": ManifestEntry("m", "e", "text/html; charset=utf-8", "public, max-age=300")}
    assert decode_manifest(encode_manifest(manifest)) == manifest
    for garbage in (b"", b"\xff", b"[]", b'{"format": 99, "objects": {}}', b'{"format": 1, "objects": {"a": 1}}'):
        assert decode_manifest(garbage) == {}


def test_progress_line_is_throttled():
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(5, 5_000_000, stream=stream, interval=2.0, clock=lambda: now[0])
    for step in range(4):
        now[0] += 1.0
        progress.advance(1_000_000)
    assert stream.getvalue().splitlines() == ["已上传 2/5 个对象（2.0 MB/5.0 MB）", "已上传 4/5 个对象（4.0 MB/5.0 MB）"]
    now[0] += 5
    progress.advance(1_000_000)  # the last object prints nothing: the summary line follows
    assert len(stream.getvalue().splitlines()) == 2


@pytest.mark.parametrize("provider,region,endpoint", [
    ("oss", "cn-hangzhou", "https://s3.oss-cn-hangzhou.aliyuncs.com"),
    ("cos", "ap-shanghai", "https://cos.ap-shanghai.myqcloud.com"),
    ("obs", "cn-east-3", "https://obs.cn-east-3.myhuaweicloud.com"),
])
def test_provider_presets(provider, region, endpoint):
    connection = resolve_connection(None, provider, region, None)
    assert connection.endpoint == endpoint and connection.addressing == "virtual"
    assert connection.credentials == load_providers()[provider].credentials


def test_preset_mistakes_are_explained():
    with pytest.raises(DeployError, match="阿里云对象存储 OSS 的地域“cn-mars”不在预设列表中。可选：cn-hangzhou（华东1（杭州））"):
        resolve_connection(None, "oss", "cn-mars", None)
    with pytest.raises(DeployError, match="腾讯云对象存储 COS：使用 --provider 时须用 --region 指定地域。可选：ap-shanghai（上海）"):
        resolve_connection(None, "cos", None, None)
    with pytest.raises(DeployError, match="只能二选一"):
        resolve_connection("https://x.example", "obs", "cn-east-3", None)
    with pytest.raises(DeployError, match="http:// 或 https://"):
        resolve_connection("oss-cn-hangzhou.aliyuncs.com", None, None, None)


def test_locations():
    assert (parse_location("s3://site").bucket, parse_location("s3://site").prefix) == ("site", "")
    assert parse_location("s3://site/a/b/").prefix == "a/b" and parse_location("s3://site/a/b").key("x") == "a/b/x"
    for bad in ("site", "s3://", "s3:///x", "s3://site/a/../b", "s3://site/a//b"):
        with pytest.raises(DeployError, match="格式不对"):
            parse_location(bad)


def error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "PutObject")


def test_error_wording():
    assert client_error_message(error("AccessDenied", 403), "site", "put").startswith("权限不足：当前密钥无权上传对象（存储桶 site）")
    assert client_error_message(error("Forbidden", 403), "site", "delete").startswith("权限不足：当前密钥无权删除对象")
    assert "存储桶 site 不存在" in client_error_message(error("NoSuchBucket", 404), "site", "list")
    assert client_error_message(error("SlowDown", 503), "site", "put") == "对象存储服务拒绝了请求（上传对象，错误代码 SlowDown）：m"


def test_github_pages_is_the_workflows_job(capsys, tmp_path):
    assert main(["deploy", "--to", "pages", "--site", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "GitHub Pages 不需要运行 zlhcg deploy" in err and "PUBLISH_TARGET" in err
    assert main(["deploy", "--to", "ftp://host/x", "--site", str(tmp_path)]) == 1
    assert "不支持的部署目标“ftp://host/x”" in capsys.readouterr().err

"""`zlhcg deploy` against a real S3 server (rclone serve s3 on 127.0.0.1), never a mock.

The demo site is deployed, read back over S3 and over plain HTTP, deployed again after one record's summary
changes, killed midway and re-run, dry-run, and pointed at wrong credentials, a closed port, a missing bucket
and a missing site folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import git
import pytest

from pipeline.cli import main
from pipeline.deploy.run import deploy
from pipeline.deploy.manifest import MANIFEST_NAME
from pipeline.deploy.object_kinds import load_rules
from tests.conftest import build_demo
from tests.s3_server import rclone_s3

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with rclone_s3(tmp_path_factory.mktemp("s3") / "data") as running:
        yield running


@pytest.fixture
def bucket(server, request):
    """A fresh bucket per test, named after it (S3 bucket names: 3–63 of a-z, 0-9 and "-")."""
    digest = hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:8]
    return server.make_bucket(f"{request.node.originalname.replace('_', '-')[5:45]}-{digest}")


@pytest.fixture
def s3_env(server, monkeypatch):
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    return server


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def stored_files(server, bucket: str, prefix: str = "") -> dict[str, bytes]:
    """What the bucket holds, read from the folder rclone serves (bypassing S3), without the deploy manifest."""
    base = server.root / bucket / prefix
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*")
            if p.is_file() and p.name != MANIFEST_NAME}


def listed_keys(server, bucket: str) -> set[str]:
    pages = server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", ())}


def stamps(server, bucket: str) -> dict[str, int]:
    base = server.root / bucket
    return {p.relative_to(base).as_posix(): p.stat().st_mtime_ns for p in base.rglob("*") if p.is_file()}


def run_deploy(site: Path, bucket: str, server, prefix: str = "", **options):
    lines: list[str] = []
    plan = deploy(site, f"s3://{bucket}/{prefix}", endpoint=server.endpoint, out=lines.append, **options)
    return plan, lines


def expected_headers(key: str) -> tuple[str, str]:
    kind = load_rules().classify(key)
    return kind.content_type, kind.cache_control


# --- a first deploy -----------------------------------------------------------------------------------------


def test_first_deploy_stores_every_file_with_its_bytes_and_headers(demo_site, bucket, s3_env):
    plan, lines = run_deploy(demo_site, bucket, s3_env, prefix="zlhcg")
    local = site_files(demo_site)
    assert plan.totals()["upload"] == (len(local), sum(map(len, local.values())))
    assert lines[0].startswith(f"部署到 s3://{bucket}/zlhcg：上传 {len(local)} 个对象")
    client = s3_env.client()
    assert listed_keys(s3_env, bucket) == {f"zlhcg/{key}" for key in local} | {f"zlhcg/{MANIFEST_NAME}"}
    for key, data in local.items():
        got = client.get_object(Bucket=bucket, Key=f"zlhcg/{key}")
        assert got["Body"].read() == data, key
        assert (got["ContentType"], got["CacheControl"]) == expected_headers(key), key


def test_headers_by_kind_on_the_demo_site(demo_site, bucket, s3_env):
    run_deploy(demo_site, bucket, s3_env)
    client = s3_env.client()

    def head(key):
        got = client.head_object(Bucket=bucket, Key=key)
        return got["ContentType"], got["CacheControl"]

    bundle = next(p.name for p in (demo_site / "assets/javascripts").glob("bundle.*.min.js"))
    css = next(p.name for p in (demo_site / "assets/stylesheets").glob("main.*.min.css"))
    record = next(p.parent.name for p in (demo_site / "results").glob("*/index.html"))
    image = next(p for p in (demo_site / "results").glob("*/*.png")).relative_to(demo_site).as_posix()
    year = "public, max-age=31536000, immutable"
    assert head(f"assets/javascripts/{bundle}") == ("text/javascript; charset=utf-8", year)
    assert head(f"assets/stylesheets/{css}") == ("text/css; charset=utf-8", year)
    assert head("index.html") == ("text/html; charset=utf-8", "public, max-age=300")
    assert head(f"results/{record}/index.html") == ("text/html; charset=utf-8", "public, max-age=300")
    assert head("feeds/results.rss.xml") == ("application/rss+xml; charset=utf-8", "public, max-age=300")
    assert head("feeds/results.atom.xml") == ("application/atom+xml; charset=utf-8", "public, max-age=300")
    assert head("search/manifest.json") == ("application/json; charset=utf-8", "public, max-age=60")
    assert head("search/b/0.json") == ("application/json; charset=utf-8", "public, max-age=300")
    assert head("data/results.csv") == ("text/csv; charset=utf-8", "public, max-age=300")
    assert head("assets/zlhcg/site.css") == ("text/css; charset=utf-8", "public, max-age=3600")
    assert head(image) == ("image/png", "public, max-age=86400")
    assert head("sitemap.xml.gz") == ("application/gzip", "public, max-age=300")


def test_pages_read_back_over_plain_http(demo_site, bucket, s3_env):
    """A browser-style GET (a presigned URL: rclone with keys set refuses anonymous reads) returns the same
    bytes and headers the site was built with."""
    run_deploy(demo_site, bucket, s3_env)
    client = s3_env.client()
    for key in ("index.html", "feeds/results.rss.xml", "search/manifest.json", "data/results.json"):
        url = client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=300)
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == (demo_site / key).read_bytes()
            assert (response.headers["Content-Type"], response.headers["Cache-Control"]) == expected_headers(key)


def test_phases_finish_in_order_assets_then_indexes_then_home(demo_site, bucket, s3_env):
    plan, _ = run_deploy(demo_site, bucket, s3_env, jobs=4)
    written = stamps(s3_env, bucket)
    phases = {phase: [written[obj.key] for obj in objects] for phase, objects in plan.uploads}
    assert max(phases["assets"]) < min(phases["indexes"])
    assert max(phases["indexes"]) < min(phases["home"])
    assert [obj.key for obj in dict(plan.uploads)["home"]] == ["index.html"]
    first = {obj.key for obj in dict(plan.uploads)["assets"]}
    assert all(key.startswith(("assets/", "search/", "results/", "schema/")) for key in first)
    assert "search/manifest.json" not in first and any(k.startswith("results/") and k.endswith(".html") for k in first)


# --- incremental deploys ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def edited_builds(tmp_path_factory):
    """The demo library cloned with its history, built, one record's summary edited, built again."""
    work = tmp_path_factory.mktemp("edited")
    clone = work / "repo"
    git.Repo(REPO).clone(clone)
    before = build_demo_at(clone, work / "before")
    record = sorted((clone / "results").glob("*/*/*.yaml"))[0]
    text = record.read_text(encoding="utf-8")
    summary = next(line for line in text.splitlines() if line.startswith("summary: "))
    record.write_text(text.replace(summary, summary + "改写后的摘要多了这一句。"), encoding="utf-8")
    after = build_demo_at(clone, work / "after")
    return before, after


def build_demo_at(root: Path, out: Path) -> Path:
    from tests.conftest import DEMO_BUILT_AT, source_date
    from pipeline.web.build import build_site

    with source_date(DEMO_BUILT_AT):
        return build_site(root, out, progress=lambda _: None)


def test_second_deploy_uploads_only_what_changed(edited_builds, bucket, s3_env):
    before, after = edited_builds
    run_deploy(before, bucket, s3_env)
    old_stamps = stamps(s3_env, bucket)
    plan, lines = run_deploy(after, bucket, s3_env)
    old, new = site_files(before), site_files(after)
    changed = {key for key in new if old.get(key) != new[key]}
    assert 0 < len(changed) < len(new) / 2
    assert {obj.key for obj in plan.upload_objects} == changed
    assert {obj.key for obj in plan.deletions} == set(old) - set(new)
    assert plan.totals()["upload"] == (len(changed), sum(len(new[key]) for key in changed))
    # The server agrees: exactly the changed files were written again (and the manifest, twice).
    rewritten = {key for key, stamp in stamps(s3_env, bucket).items() if old_stamps.get(key) != stamp}
    assert rewritten == changed | {MANIFEST_NAME}
    assert lines[0].startswith(f"部署到 s3://{bucket}：上传 {len(changed)} 个对象")
    assert stored_files(s3_env, bucket) == new


def test_unchanged_site_uploads_nothing_and_writes_nothing(demo_site, bucket, s3_env):
    run_deploy(demo_site, bucket, s3_env)
    before = stamps(s3_env, bucket)
    plan, lines = run_deploy(demo_site, bucket, s3_env)
    assert plan.totals()["upload"] == (0, 0) and plan.totals()["delete"] == (0, 0)
    assert stamps(s3_env, bucket) == before
    assert lines[0].startswith(f"部署到 s3://{bucket}：上传 0 个对象（0.0 MB），保留 {len(before) - 1} 个")


def test_object_changed_behind_the_manifest_is_uploaded_again(demo_site, bucket, s3_env):
    """The manifest never vouches for bytes: an object altered in the bucket is caught by its ETag."""
    run_deploy(demo_site, bucket, s3_env)
    s3_env.client().put_object(Bucket=bucket, Key="stats/index.html", Body=b"tampered",
                               ContentType="text/html; charset=utf-8", CacheControl="public, max-age=300")
    plan, _ = run_deploy(demo_site, bucket, s3_env)
    assert [obj.key for obj in plan.upload_objects] == ["stats/index.html"]
    assert (s3_env.root / bucket / "stats/index.html").read_bytes() == (demo_site / "stats/index.html").read_bytes()


def test_wrong_headers_without_a_manifest_entry_are_fixed(demo_site, bucket, s3_env):
    """Same bytes, wrong Cache-Control, manifest gone (as after a crash): HEAD finds it, the deploy re-uploads."""
    run_deploy(demo_site, bucket, s3_env)
    client = s3_env.client()
    client.put_object(Bucket=bucket, Key="about/index.html", Body=(demo_site / "about/index.html").read_bytes(),
                      ContentType="text/html; charset=utf-8", CacheControl="no-cache")
    client.delete_object(Bucket=bucket, Key=MANIFEST_NAME)
    plan, _ = run_deploy(demo_site, bucket, s3_env)
    assert [obj.key for obj in plan.upload_objects] == ["about/index.html"]
    assert client.head_object(Bucket=bucket, Key="about/index.html")["CacheControl"] == "public, max-age=300"


def test_dry_run_changes_nothing(edited_builds, bucket, s3_env):
    before, after = edited_builds
    run_deploy(before, bucket, s3_env)
    snapshot = stamps(s3_env, bucket), stored_files(s3_env, bucket)
    plan, lines = run_deploy(after, bucket, s3_env, dry_run=True)
    assert plan.totals()["upload"][0] > 0
    assert lines[-1] == "演练模式（--dry-run）：未做任何改动。"
    assert (stamps(s3_env, bucket), stored_files(s3_env, bucket)) == snapshot


# --- interrupted deploys ------------------------------------------------------------------------------------

# Runs `zlhcg deploy` in a child process that SIGKILLs itself at a chosen point: after N uploads, at the
# deletions, or just before the final manifest write. Nothing in the deploy code knows about it.
_KILLER = """
import os, signal, sys, itertools
from pipeline.deploy import s3_target
from pipeline.cli import main
point, count = sys.argv[1], int(sys.argv[2])
calls = itertools.count(1)
original = {"upload": s3_target.S3Target.upload, "delete": s3_target.S3Target.delete,
            "write_manifest": s3_target.S3Target.write_manifest}
def wrap(name):
    def call(self, *args):
        if name == point and next(calls) >= count:
            os.kill(os.getpid(), signal.SIGKILL)
        return original[name](self, *args)
    return call
setattr(s3_target.S3Target, point, wrap(point))
sys.exit(main(sys.argv[3:]))
"""


def killed_deploy(site: Path, bucket: str, server, point: str, count: int) -> subprocess.CompletedProcess:
    env = {**os.environ, **server.env(), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", _KILLER, point, str(count), "deploy", "--to", f"s3://{bucket}",
               "--endpoint", server.endpoint, "--site", str(site), "--jobs", "2"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("point,when", [
    ("upload", "second upload"), ("upload", "inside the second phase"), ("delete", "first call"),
    ("write_manifest", "final manifest"),
])
def test_killed_deploy_then_rerun_leaves_the_bucket_equal_to_the_build(edited_builds, bucket, s3_env, point,
                                                                       when, tmp_path):
    before, after = edited_builds
    # The bucket starts with the old build plus a page the new build no longer has, so deletions happen too.
    old = tmp_path / "old"
    shutil.copytree(before, old)
    (old / "retired").mkdir()
    (old / "retired/index.html").write_text("<p>已撤下</p>", encoding="utf-8")
    run_deploy(old, bucket, s3_env)
    planned, _ = run_deploy(after, bucket, s3_env, dry_run=True)
    first_phase = len(dict(planned.uploads)["assets"])
    assert first_phase >= 2 and len(dict(planned.uploads)["indexes"]) >= 2 and planned.deletions
    count = {"second upload": 2, "inside the second phase": first_phase + 2, "first call": 1, "final manifest": 2}[when]
    killed = killed_deploy(after, bucket, s3_env, point, count)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    plan, _ = run_deploy(after, bucket, s3_env)
    expected = site_files(after)
    assert stored_files(s3_env, bucket) == expected
    assert listed_keys(s3_env, bucket) == set(expected) | {MANIFEST_NAME}
    client = s3_env.client()
    for key in expected:
        head = client.head_object(Bucket=bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == expected_headers(key), key
    again, _ = run_deploy(after, bucket, s3_env)
    assert again.totals()["upload"] == (0, 0) and again.totals()["delete"] == (0, 0)


# --- what goes wrong ----------------------------------------------------------------------------------------


def cli_deploy(capsys, *args: str) -> tuple[int, str]:
    code = main(["deploy", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("secret,access,message", [
    ("wrong-secret-0000000000", None, "访问密钥不正确（签名不匹配）"),
    (None, "NOSUCHKEYID000000", "访问密钥 ID 不存在"),
])
def test_bad_credentials_give_a_chinese_error(demo_site, bucket, s3_env, monkeypatch, capsys, secret, access,
                                              message):
    if secret:
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    if access:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", access)
    code, err = cli_deploy(capsys, "--to", f"s3://{bucket}", "--endpoint", s3_env.endpoint, "--site", str(demo_site))
    assert code == 1
    assert err.startswith("部署失败：") and message in err
    assert not any((s3_env.root / bucket).iterdir())


def test_missing_credentials(demo_site, bucket, s3_env, monkeypatch, capsys, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, err = cli_deploy(capsys, "--to", f"s3://{bucket}", "--endpoint", s3_env.endpoint, "--site", str(demo_site))
    assert code == 1 and "找不到对象存储的访问密钥。请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY" in err


def test_provider_credentials_are_read_from_their_own_variables(demo_site, bucket, s3_env, monkeypatch):
    """With --provider, OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET stand in for the AWS pair (checked here through
    the client they build, as the real OSS endpoint is not reachable from tests)."""
    from pipeline.deploy.providers import resolve_connection
    from pipeline.deploy.s3_target import make_client

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", "oss-id")
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", "oss-secret")
    connection = resolve_connection(None, "oss", "cn-hangzhou", None)
    client = make_client(connection, 2)
    credentials = client._request_signer._credentials
    assert (credentials.access_key, credentials.secret_key) == ("oss-id", "oss-secret")
    assert client.meta.endpoint_url == "https://s3.oss-cn-hangzhou.aliyuncs.com"
    assert client.meta.config.s3["addressing_style"] == "virtual" and client.meta.config.signature_version == "s3"


def test_unreachable_endpoint(demo_site, s3_env, capsys):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    code, err = cli_deploy(capsys, "--to", "s3://site", "--endpoint", endpoint, "--site", str(demo_site))
    assert code == 1 and f"无法连接对象存储服务 {endpoint}" in err


def test_missing_bucket(demo_site, s3_env, capsys):
    code, err = cli_deploy(capsys, "--to", "s3://no-such-bucket", "--endpoint", s3_env.endpoint, "--site",
                           str(demo_site))
    assert code == 1 and "存储桶 no-such-bucket 不存在" in err


def test_missing_site(tmp_path, s3_env, capsys):
    code, err = cli_deploy(capsys, "--to", "s3://site", "--endpoint", s3_env.endpoint, "--site", str(tmp_path / "x"))
    assert code == 1 and f"找不到已构建的网站文件夹 {tmp_path / 'x'}。请先运行 zlhcg build" in err
    (tmp_path / "empty").mkdir()
    code, err = cli_deploy(capsys, "--to", "s3://site", "--endpoint", s3_env.endpoint, "--site", str(tmp_path / "empty"))
    assert code == 1 and "没有 index.html" in err


def test_read_only_bucket_is_a_permission_error(demo_site, tmp_path, monkeypatch, capsys):
    (tmp_path / "ro/site").mkdir(parents=True)  # the bucket exists before the read-only server starts
    with rclone_s3(tmp_path / "ro", "--read-only") as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        code, err = cli_deploy(capsys, "--to", "s3://site", "--endpoint", server.endpoint, "--site", str(demo_site))
    # rclone answers writes to a read-only remote with 500 InternalError, not 403 (the 403 wording is checked in
    # test_deploy_plan.py); what matters here is a Chinese refusal that names the operation and how to resume.
    assert code == 1 and err.startswith("部署失败：对象存储服务拒绝了请求（上传对象，错误代码 InternalError）")
    assert "重新运行同一命令即可继续" in err

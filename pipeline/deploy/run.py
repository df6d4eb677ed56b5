"""One deploy: read the site, list the bucket, plan, print the plan and (unless dry-run) carry it out."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.deploy.errors import DeployError
from pipeline.deploy.manifest import decode_manifest
from pipeline.deploy.object_kinds import load_rules
from pipeline.deploy.plan import Plan, make_plan
from pipeline.deploy.progress import Progress, megabytes
from pipeline.deploy.providers import resolve_connection
from pipeline.deploy.site_files import read_site
from pipeline.deploy.targets import check_scheme


def describe_plan(plan: Plan, location, phase_labels: dict[str, str]) -> list[str]:
    totals = plan.totals()
    lines = [f"部署到 {location}：上传 {totals['upload'][0]} 个对象（{megabytes(totals['upload'][1])}），"
             f"保留 {totals['keep'][0]} 个（{megabytes(totals['keep'][1])}），"
             f"删除 {totals['delete'][0]} 个（{megabytes(totals['delete'][1])}）。"]
    for number, (phase, objects) in enumerate(plan.uploads, start=1):
        if objects:
            size = sum(obj.size for obj in objects)
            lines.append(f"  第 {number} 步 {phase_labels[phase]}：上传 {len(objects)} 个（{megabytes(size)}）")
    if plan.deletions:
        lines.append(f"  第 {len(plan.uploads) + 1} 步 删除网站中已不存在的对象：{len(plan.deletions)} 个")
    return lines


def headers_checker(target, jobs: int):
    def headers_current(objects):
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            stored = list(pool.map(lambda obj: target.stored_headers(obj.key), objects))
        return {obj.key for obj, headers in zip(objects, stored) if headers == obj.headers}
    return headers_current


def deploy(site: Path, to: str, *, endpoint=None, provider=None, region=None, addressing=None,
           dry_run=False, jobs=8, out=print) -> Plan:
    from pipeline.deploy.execute import execute_plan
    from pipeline.deploy.s3_target import S3Target, make_client, parse_location  # boto3 loads only when deploying

    check_scheme(to)
    location = parse_location(to)
    connection = resolve_connection(endpoint, provider, region, addressing)
    rules = load_rules()
    local = read_site(site, rules)
    target = S3Target(make_client(connection, jobs), location, connection)
    remote = target.list_objects()
    raw = target.read_manifest()
    manifest = decode_manifest(raw) if raw else {}
    plan = make_plan(local, remote, manifest, rules.phase_names(), headers_checker(target, jobs))
    for line in describe_plan(plan, location, {p.name: p.label for p in rules.phases}):
        out(line)
    if dry_run:
        out("演练模式（--dry-run）：未做任何改动。")
        return plan
    count, size = plan.totals()["upload"]
    try:
        execute_plan(target, plan, manifest, jobs, Progress(count, size))
    except DeployError as exc:
        raise DeployError(f"{exc}\n已上传的对象不会重复上传：解决问题后重新运行同一命令即可继续。") from None
    out("部署完成。")
    return plan

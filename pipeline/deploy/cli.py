"""`zlhcg deploy`: plan, print the plan, and (unless --dry-run) carry it out."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.deploy.errors import DeployError
from pipeline.deploy.manifest import decode_manifest
from pipeline.deploy.object_kinds import load_rules
from pipeline.deploy.plan import Plan, make_plan
from pipeline.deploy.progress import Progress, megabytes
from pipeline.deploy.providers import load_providers, resolve_connection
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


def cmd_deploy(args) -> int:
    from pipeline.errors import EXIT_INVALID, EXIT_OK, root_from_args
    from pipeline.read.site_config import read_site_config

    try:
        site = Path(args.site) if args.site else root_from_args(args) / read_site_config(root_from_args(args)).site_dir
        deploy(site, args.to, endpoint=args.endpoint, provider=args.provider, region=args.region,
               addressing=args.addressing, dry_run=args.dry_run, jobs=args.jobs)
    except DeployError as exc:
        print(f"部署失败：{exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _jobs(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError("应为 1 到 64 之间的整数")
    return int(text)


def register(sub) -> None:
    parser = sub.add_parser("deploy", help="把构建好的网站部署到对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS 等 S3 兼容服务）")
    parser.add_argument("--to", required=True, help="部署目标，如 s3://存储桶名/前缀（前缀可省略）")
    parser.add_argument("--endpoint", help="S3 访问域名，如 https://s3.oss-cn-hangzhou.aliyuncs.com（也可用环境变量 AWS_ENDPOINT_URL）")
    parser.add_argument("--provider", choices=sorted(load_providers()), help="按云服务商和 --region 生成访问域名：oss、cos 或 obs")
    parser.add_argument("--region", help="地域，如 cn-hangzhou（OSS）、ap-shanghai（COS）、cn-east-3（OBS）")
    parser.add_argument("--addressing", choices=("path", "virtual"),
                        help="存储桶放在路径中（path，自建服务常用）还是域名中（virtual，云服务商要求）；默认按 --provider 决定，否则为 path")
    parser.add_argument("--site", help="已构建的网站文件夹（默认：mkdocs.yml 中的 site_dir，即 build/site）")
    parser.add_argument("--dry-run", action="store_true", help="只列出将上传、保留和删除的对象，不做任何改动")
    parser.add_argument("--jobs", type=_jobs, default=8, help="同时上传的对象数（默认 8）")
    parser.set_defaults(func=cmd_deploy)

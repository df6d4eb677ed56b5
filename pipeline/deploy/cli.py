"""`zlhcg deploy`: the command's options and its exit codes. The work is in run.py, imported only when it runs
(so that other commands do not pay for loading it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.deploy.errors import DeployError
from pipeline.deploy.providers import load_providers


def cmd_deploy(args) -> int:
    from pipeline.deploy.run import deploy
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

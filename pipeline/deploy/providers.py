"""Endpoint presets for the mainland clouds' S3-compatible object storage (data in providers.yaml)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.deploy.errors import DeployError

PRESETS_FILE = Path(__file__).with_name("providers.yaml")
STANDARD_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


@dataclass(frozen=True)
class Provider:
    code: str
    name: str
    endpoint: str  # with {region}
    addressing: str
    signature: str
    credentials: tuple[tuple[str, str], ...]
    regions: dict[str, str]


@dataclass(frozen=True)
class Connection:
    """Where and how to talk S3: what the boto3 client is built from."""

    endpoint: str | None  # None: boto3's own resolution (AWS_ENDPOINT_URL…)
    region: str
    addressing: str
    signature: str | None
    credentials: tuple[tuple[str, str], ...]  # env var pairs tried in order, after the standard AWS pair


@cache
def load_providers() -> dict[str, Provider]:
    data = yaml.safe_load(PRESETS_FILE.read_text(encoding="utf-8"))
    return {code: Provider(code, p["name"], p["endpoint"], p["addressing"], p["signature"],
                           tuple(tuple(pair) for pair in p["credentials"]), dict(p["regions"]))
            for code, p in data.items()}


def resolve_connection(endpoint: str | None, provider: str | None, region: str | None,
                       addressing: str | None) -> Connection:
    if provider is None:
        if endpoint is not None and not endpoint.startswith(("http://", "https://")):
            raise DeployError(f"--endpoint 应是 http:// 或 https:// 开头的网址，收到“{endpoint}”。")
        return Connection(endpoint, region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
                          or "us-east-1", addressing or "path", None, ())
    preset = load_providers()[provider]
    if endpoint is not None:
        raise DeployError("--endpoint 与 --provider 只能二选一：--provider 会按地域生成访问域名。")
    if region not in preset.regions:
        listed = "、".join(f"{code}（{label}）" for code, label in preset.regions.items())
        problem = f" 的地域“{region}”不在预设列表中" if region else "：使用 --provider 时须用 --region 指定地域"
        raise DeployError(f"{preset.name}{problem}。可选：{listed}。其他地域请用 --endpoint 直接给出访问域名。")
    return Connection(preset.endpoint.format(region=region), region, addressing or preset.addressing,
                      preset.signature, preset.credentials)


def credentials_from_env(pairs: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    """The first complete key pair in the environment; None lets boto3 use its own chain (AWS_* variables,
    ~/.aws/credentials, session tokens)."""
    if os.environ.get(STANDARD_CREDENTIALS[0]):
        return None
    for key_id, secret in pairs:
        if os.environ.get(key_id) and os.environ.get(secret):
            return os.environ[key_id], os.environ[secret]
    return None


def credential_hint(pairs: tuple[tuple[str, str], ...]) -> str:
    names = [STANDARD_CREDENTIALS, *pairs]
    return "、".join(f"{a} 和 {b}" for a, b in names)

"""Deploy targets by the scheme of `--to`. Object storage speaks S3; GitHub Pages is published by the workflow."""

from __future__ import annotations

from pipeline.deploy.errors import DeployError

SCHEMES = {"s3": "S3 兼容对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS 等）"}

PAGES_NOTE = ("GitHub Pages 不需要运行 zlhcg deploy：发布工作流 .github/workflows/publish.yml 会上传构建结果。"
              "把仓库变量 PUBLISH_TARGET 设为 pages（或不设置）即可选择 GitHub Pages，详见 docs/deploy.md。")


def check_scheme(to: str) -> str:
    scheme = to.partition("://")[0] if "://" in to else to
    if scheme in ("pages", "github-pages", "gh-pages"):
        raise DeployError(PAGES_NOTE)
    if scheme not in SCHEMES:
        supported = "；".join(f"{name}://…（{label}）" for name, label in SCHEMES.items())
        raise DeployError(f"不支持的部署目标“{to}”。支持：{supported}。")
    return scheme

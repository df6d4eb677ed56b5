"""The S3 bucket a site is deployed to, through boto3 (no hand-written request signing)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from pipeline.deploy.errors import DeployError
from pipeline.deploy.manifest import MANIFEST_NAME
from pipeline.deploy.plan import RemoteObject, normalise_etag
from pipeline.deploy.providers import Connection, credential_hint, credentials_from_env
from pipeline.deploy.s3_errors import s3_errors
from pipeline.deploy.site_files import LocalObject

DELETE_BATCH = 1000  # the most keys one DeleteObjects request may carry


@dataclass(frozen=True)
class Location:
    bucket: str
    prefix: str  # "" or "a/b" (no slashes at either end)

    def key(self, relative: str) -> str:
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def relative(self, key: str) -> str:
        return key[len(self.prefix) + 1:] if self.prefix else key

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")


def parse_location(text: str) -> Location:
    bucket, _, prefix = text.removeprefix("s3://").partition("/")
    prefix = prefix.strip("/")
    if not text.startswith("s3://") or not bucket or any(part in ("", ".", "..") for part in prefix.split("/") if prefix):
        raise DeployError(f"部署目标“{text}”的格式不对，应为 s3://存储桶名 或 s3://存储桶名/前缀。")
    return Location(bucket, prefix)


def _not_found(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey")


def make_client(connection: Connection, jobs: int):
    config = Config(
        signature_version=connection.signature, s3={"addressing_style": connection.addressing},
        retries={"mode": "standard", "max_attempts": 3}, connect_timeout=10, read_timeout=60,
        max_pool_connections=max(10, jobs * 2),
        # Newer boto3 adds CRC checksums many S3-compatible services reject; send them only when an API demands.
        request_checksum_calculation="when_required", response_checksum_validation="when_required",
    )
    keys = credentials_from_env(connection.credentials)
    credentials = {"aws_access_key_id": keys[0], "aws_secret_access_key": keys[1]} if keys else {}
    return boto3.session.Session().client("s3", endpoint_url=connection.endpoint, region_name=connection.region,
                                          config=config, **credentials)


class S3Target:
    """Lists, reads headers of, uploads and deletes objects under one bucket prefix."""

    def __init__(self, client, location: Location, connection: Connection) -> None:
        self._client, self.location = client, location
        self._endpoint = connection.endpoint or client.meta.endpoint_url
        self._hint = credential_hint(connection.credentials)

    def _errors(self, action: str):
        return s3_errors(self.location.bucket, self._endpoint, action, self._hint)

    def list_objects(self) -> dict[str, RemoteObject]:
        prefix = f"{self.location.prefix}/" if self.location.prefix else ""
        found = {}
        with self._errors("list"):
            pages = self._client.get_paginator("list_objects_v2").paginate(Bucket=self.location.bucket, Prefix=prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    key = self.location.relative(item["Key"])
                    if key != MANIFEST_NAME:
                        found[key] = RemoteObject(key, normalise_etag(item.get("ETag", "")), int(item["Size"]))
        return found

    def _unless_missing(self, action: str, call):
        """`call()`, or None when the object does not exist."""
        with self._errors(action):
            try:
                return call()
            except ClientError as error:
                if _not_found(error):
                    return None
                raise

    def stored_headers(self, key: str) -> tuple[str, str] | None:
        head = self._unless_missing("head", lambda: self._client.head_object(
            Bucket=self.location.bucket, Key=self.location.key(key)))
        return None if head is None else (head.get("ContentType", ""), head.get("CacheControl", ""))

    def upload(self, obj: LocalObject) -> str:
        """Uploads one file in a single PUT (so the ETag is its MD5) and returns the ETag the server reports."""
        body = obj.path.read_bytes()
        digest = base64.b64encode(binascii.unhexlify(obj.md5)).decode("ascii")
        with self._errors("put"):
            response = self._client.put_object(Bucket=self.location.bucket, Key=self.location.key(obj.key), Body=body,
                                               ContentType=obj.content_type, CacheControl=obj.cache_control,
                                               ContentMD5=digest)
        return normalise_etag(response.get("ETag", ""))

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            batch = [{"Key": self.location.key(key)} for key in keys[start:start + DELETE_BATCH]]
            with self._errors("delete"):
                response = self._client.delete_objects(Bucket=self.location.bucket,
                                                       Delete={"Objects": batch, "Quiet": True})
            if response.get("Errors"):
                first = response["Errors"][0]
                raise DeployError(f"删除对象 {first.get('Key')} 失败（{first.get('Code')}）：{first.get('Message', '')}")

    def read_manifest(self) -> bytes | None:
        return self._unless_missing("get", lambda: self._client.get_object(
            Bucket=self.location.bucket, Key=self.location.key(MANIFEST_NAME))["Body"].read())

    def write_manifest(self, data: bytes) -> None:
        with self._errors("put"):
            self._client.put_object(Bucket=self.location.bucket, Key=self.location.key(MANIFEST_NAME), Body=data,
                                    ContentType="application/json; charset=utf-8", CacheControl="no-store")

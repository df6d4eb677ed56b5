"""The deploy manifest: one JSON object in the bucket recording, per key, the MD5, ETag and headers last uploaded.

Content is never trusted to it: whether an object's bytes are current is decided from the bucket listing's
ETag (see plan.py); the manifest only says which headers an object carries, so that unchanged objects need no
HEAD request. It is pruned of every key a deploy will touch before the first change and rewritten in full
after the last, so an interrupted deploy leaves no entry that vouches for an object it may have changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

MANIFEST_NAME = ".zlhcg-deploy.json"
FORMAT = 1


@dataclass(frozen=True)
class ManifestEntry:
    md5: str
    etag: str
    content_type: str
    cache_control: str

    @property
    def headers(self) -> tuple[str, str]:
        return (self.content_type, self.cache_control)


Manifest = dict[str, ManifestEntry]


def encode_manifest(manifest: Manifest) -> bytes:
    objects = {key: asdict(manifest[key]) for key in sorted(manifest)}
    return json.dumps({"format": FORMAT, "objects": objects}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def decode_manifest(data: bytes) -> Manifest:
    """An unreadable or foreign manifest counts as empty: the deploy then checks every object itself."""
    try:
        parsed = json.loads(data.decode("utf-8"))
        if parsed.get("format") != FORMAT:
            return {}
        return {key: ManifestEntry(**entry) for key, entry in parsed["objects"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


def without(manifest: Manifest, keys: set[str]) -> Manifest:
    return {key: entry for key, entry in manifest.items() if key not in keys}

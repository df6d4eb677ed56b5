"""Compare the built site with the bucket and decide, per object, upload, keep or delete — in phase order.

An object is kept only when the bucket's own listing shows the same bytes (its ETag equals the file's MD5, or
equals the ETag the manifest recorded for this MD5 on servers whose ETag is not an MD5) and it carries the
right headers (by the manifest, or else by a HEAD request). Everything else is uploaded; bucket keys the site
no longer has are deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipeline.deploy.manifest import Manifest, ManifestEntry
from pipeline.deploy.site_files import LocalObject


@dataclass(frozen=True)
class RemoteObject:
    key: str  # relative to the deploy prefix
    etag: str  # lower-case hex, without quotes
    size: int


@dataclass(frozen=True)
class Plan:
    uploads: tuple[tuple[str, tuple[LocalObject, ...]], ...]  # (phase name, objects), in upload order
    keeps: tuple[tuple[LocalObject, str], ...]  # (object, its ETag in the bucket)
    deletions: tuple[RemoteObject, ...]

    @property
    def upload_objects(self) -> list[LocalObject]:
        return [obj for _, objects in self.uploads for obj in objects]

    @property
    def touched_keys(self) -> set[str]:
        return {obj.key for obj in self.upload_objects} | {obj.key for obj in self.deletions}

    def totals(self) -> dict[str, tuple[int, int]]:
        """(objects, bytes) for each of "upload", "keep" and "delete"."""
        uploads = self.upload_objects
        return {
            "upload": (len(uploads), sum(obj.size for obj in uploads)),
            "keep": (len(self.keeps), sum(obj.size for obj, _ in self.keeps)),
            "delete": (len(self.deletions), sum(obj.size for obj in self.deletions)),
        }


def normalise_etag(etag: str) -> str:
    return etag.strip().strip('"').lower()


def same_bytes(local: LocalObject, remote: RemoteObject, entry: ManifestEntry | None) -> bool:
    if remote.size != local.size:
        return False
    if remote.etag == local.md5:
        return True
    return entry is not None and entry.md5 == local.md5 and entry.etag == remote.etag


def headers_vouched(local: LocalObject, remote: RemoteObject, entry: ManifestEntry | None) -> bool:
    return entry is not None and entry.md5 == local.md5 and entry.etag == remote.etag and entry.headers == local.headers


def make_plan(local: Iterable[LocalObject], remote: dict[str, RemoteObject], manifest: Manifest,
              phases: tuple[str, ...], headers_current: Callable[[list[LocalObject]], set[str]]) -> Plan:
    """`headers_current` receives the objects whose bytes match but whose headers the manifest cannot vouch
    for, and returns the keys whose stored headers are right (the target answers it with HEAD requests)."""
    local = list(local)
    to_upload, keeps, unsure = [], [], []
    for obj in local:
        found = remote.get(obj.key)
        entry = manifest.get(obj.key)
        if found is None or not same_bytes(obj, found, entry):
            to_upload.append(obj)
        elif headers_vouched(obj, found, entry):
            keeps.append((obj, found.etag))
        else:
            unsure.append(obj)
    current = headers_current(unsure) if unsure else set()
    for obj in unsure:
        if obj.key in current:
            keeps.append((obj, remote[obj.key].etag))
        else:
            to_upload.append(obj)
    wanted = {obj.key for obj in local}
    deletions = tuple(remote[key] for key in sorted(remote) if key not in wanted)
    uploads = tuple((phase, tuple(sorted((o for o in to_upload if o.phase == phase), key=lambda o: o.key)))
                    for phase in phases)
    return Plan(uploads, tuple(sorted(keeps, key=lambda pair: pair[0].key)), deletions)


def manifest_after(plan: Plan, uploaded_etags: dict[str, str]) -> Manifest:
    """The manifest describing the bucket once `plan` has run, given the ETags the uploads returned."""
    entries = {obj.key: ManifestEntry(obj.md5, etag, *obj.headers) for obj, etag in plan.keeps}
    for obj in plan.upload_objects:
        entries[obj.key] = ManifestEntry(obj.md5, uploaded_etags[obj.key], *obj.headers)
    return entries

"""Carry out a deploy plan: phases in order (each finished before the next starts), deletions, then the manifest.

Within a phase a small thread pool uploads in parallel; the first failure stops the phase and is raised, so a
later phase never starts on top of an incomplete one. Re-running after any failure is safe: the plan is made
again from what the bucket holds.
"""

from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from pipeline.deploy.manifest import Manifest, encode_manifest, without
from pipeline.deploy.plan import Plan, manifest_after
from pipeline.deploy.progress import Progress
from pipeline.deploy.site_files import LocalObject


def upload_phase(target, objects: tuple[LocalObject, ...], progress: Progress, jobs: int) -> dict[str, str]:
    etags: dict[str, str] = {}

    def upload(obj: LocalObject) -> None:
        etags[obj.key] = target.upload(obj)
        progress.advance(obj.size)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(upload, obj) for obj in objects]
        done, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in pending:
            future.cancel()
        for future in done:
            future.result()  # raises the first failure
    return etags


def execute_plan(target, plan: Plan, manifest: Manifest, jobs: int, progress: Progress) -> Manifest:
    """Returns the manifest now in the bucket."""
    touched = plan.touched_keys
    if touched:
        # Before anything changes, stop the manifest vouching for objects this run may leave half-done.
        target.write_manifest(encode_manifest(without(manifest, touched)))
    etags: dict[str, str] = {}
    for _, objects in plan.uploads:
        if objects:
            etags.update(upload_phase(target, objects, progress, jobs))
    if plan.deletions:
        target.delete([obj.key for obj in plan.deletions])
    final = manifest_after(plan, etags)
    if touched or final != manifest:
        target.write_manifest(encode_manifest(final))
    return final

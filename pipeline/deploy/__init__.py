"""`zlhcg deploy`: publish the built site to S3-compatible object storage (Aliyun OSS, Tencent COS, Huawei OBS…).

Flow: `site_files` reads the built folder → `object_kinds` says how each file is stored → `target` lists the
bucket → `plan` decides what to upload, keep and delete, in phases → `execute` carries the plan out, phase by
phase, deletions and the manifest last. GitHub Pages is the other publishing route; it needs no command here
(see `targets.py` and docs/deploy.md).
"""

"""Content-Security-Policy for every page: scripts only from the site itself, plus the theme's few inline
scripts allowed by their exact hashes (computed from the final HTML, so any change to them stays allowed and
anything injected is not).
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_HEAD_START = re.compile(r"<meta charset=\"utf-8\">", re.IGNORECASE)

POLICY = ("default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
          "frame-src 'none'; base-uri 'self'; form-action 'self'")


def inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or "application/json" in attrs:
            continue  # external scripts are covered by 'self'; JSON data blocks are never executed
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def policy_for(html: str) -> str:
    return POLICY.format(scripts=" ".join(["'self'", *inline_script_hashes(html)]))


def add_content_security_policy(html: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    result, count = _HEAD_START.subn(lambda m: m.group(0) + meta, html, count=1)
    return result if count else html

"""The build's notion of "now": `SOURCE_DATE_EPOCH` when set (reproducible builds), otherwise the clock."""

from __future__ import annotations

import os
from datetime import datetime

from pipeline.dates import SHANGHAI


class ClockError(ValueError):
    pass


def build_time(environ=os.environ) -> datetime:
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return datetime.now(SHANGHAI).replace(microsecond=0)
    if not raw.isdigit():
        raise ClockError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒数，现在是“{raw[:40]}”。")
    return datetime.fromtimestamp(int(raw), SHANGHAI)

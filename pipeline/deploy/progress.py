"""A throttled progress line on stderr while objects upload (one line at most every `interval` seconds)."""

from __future__ import annotations

import sys
import threading
import time


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Progress:
    def __init__(self, total_objects: int, total_bytes: int, stream=None, interval: float = 2.0,
                 clock=time.monotonic) -> None:
        self.total_objects, self.total_bytes = total_objects, total_bytes
        self.done_objects = self.done_bytes = 0
        self._stream = stream or sys.stderr
        self._interval, self._clock = interval, clock
        self._last = clock()
        self._lock = threading.Lock()

    def advance(self, size: int) -> None:
        with self._lock:
            self.done_objects += 1
            self.done_bytes += size
            now = self._clock()
            if now - self._last >= self._interval and self.done_objects < self.total_objects:
                self._last = now
                self._write()

    def _write(self) -> None:
        print(f"已上传 {self.done_objects}/{self.total_objects} 个对象"
              f"（{megabytes(self.done_bytes)}/{megabytes(self.total_bytes)}）", file=self._stream, flush=True)

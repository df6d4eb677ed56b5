"""Templates read without their indentation.

Template files are indented for people; the pages they make need none of it (a browser shows any run of spaces
and line breaks as one space). Dropping the spaces after each line break when a template is read costs nothing
per page and keeps every line break, so no two words or inline elements that were apart ever touch. Only for
templates that hold no `pre` or `textarea` (tests/test_page_weight.py checks the theme's and ours).

Under Jinja's `trim_blocks` the line break after a block tag (or comment) is dropped, and the indentation of the
next line was the only space left there: with `trim_blocks=True` that indentation is kept.
"""

from __future__ import annotations

import re

from jinja2 import BaseLoader, Environment

_INDENT = re.compile(r"\n[ \t]+")
_INDENT_NOT_AFTER_TAG = re.compile(r"(?<![%#]})\n[ \t]+")


def dedent(source: str, trim_blocks: bool = False) -> str:
    return (_INDENT_NOT_AFTER_TAG if trim_blocks else _INDENT).sub("\n", source)


class DedentLoader(BaseLoader):
    """Wraps another loader; every template comes out of it dedented (for an environment with `trim_blocks`
    as given)."""

    def __init__(self, inner: BaseLoader, trim_blocks: bool = False) -> None:
        self.inner, self.trim_blocks = inner, trim_blocks

    def get_source(self, environment: Environment, template: str):
        source, filename, uptodate = self.inner.get_source(environment, template)
        return dedent(source, self.trim_blocks), filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()

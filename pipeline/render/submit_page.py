"""The parts of the hand-written 报送指南 page that come from `mkdocs.yml` `extra`: the buttons to the two
GitHub issue forms (`extra.submit_repository`) and the contact (`extra.submit_contact`: name, phone, email).

The page marks their places with HTML comments (`<!-- zlhcg:form batch.yml 上传报送表 -->`,
`<!-- zlhcg:submit-contact -->`); each is replaced by its block, or by nothing when the setting is absent, so a
deployment without a contact shows no empty contact box.
"""

from __future__ import annotations

import re
from html import escape
from typing import Mapping

CONTACT = "<!-- zlhcg:submit-contact -->"
FORM_BUTTON = re.compile(r"<!-- zlhcg:form (?P<form>[a-z0-9-]+\.yml) (?P<label>[^<>\n]{1,40}) -->")
_CONTACT_FIELDS = (("name", "联系人"), ("phone", "电话"), ("email", "电子邮箱"))


def _text(value) -> str:
    return escape(str(value).strip())


def contact_block(contact: Mapping | None) -> str:
    if not isinstance(contact, Mapping):
        return ""
    items = []
    for key, label in _CONTACT_FIELDS:
        value = contact.get(key)
        if not value:
            continue
        shown = _text(value)
        if key == "phone":
            shown = f'<a href="tel:{escape(str(value).replace(" ", ""))}">{shown}</a>'
        elif key == "email":
            shown = f'<a href="mailto:{escape(str(value).strip())}">{shown}</a>'
        items.append(f"<li>{label}：{shown}</li>")
    if not items:
        return ""
    office = f"<p>{_text(contact['office'])}</p>" if contact.get("office") else ""
    return (f'<div class="zl-contact" markdown="0"><h2 id="contact">报送咨询</h2>{office}<ul>'
            + "".join(items) + "</ul></div>")


def form_button(repository, form: str, label: str) -> str:
    """A button opening one of the repository's issue forms, e.g. `submit.yml`."""
    if not isinstance(repository, str) or not repository.startswith("https://"):
        return ""
    href = f"{escape(repository.rstrip('/'))}/issues/new?template={escape(form)}"
    return f'<p class="zl-buttons" markdown="0"><a class="md-button md-button--primary" href="{href}">{escape(label)}</a></p>'


def fill_submit_page(markdown: str, extra: Mapping) -> str:
    """The page's Markdown with the marked places filled from `extra` (or emptied)."""
    if "<!-- zlhcg:" not in markdown:
        return markdown
    repository = extra.get("submit_repository")
    markdown = FORM_BUTTON.sub(lambda m: form_button(repository, m["form"], m["label"]), markdown)
    return markdown.replace(CONTACT, contact_block(extra.get("submit_contact")))

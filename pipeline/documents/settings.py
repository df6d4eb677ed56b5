"""What documents take from `mkdocs.yml` `extra`: the 编印单位 and the press contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

DEFAULT_PUBLISHER = "浙江省科学技术厅"


@dataclass(frozen=True)
class PressContact:
    name: str
    phone: str = ""
    email: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """“联系人：…”, “电话：…”, “电子邮箱：…”, only those that are set."""
        pairs = (("联系人", self.name), ("电话", self.phone), ("电子邮箱", self.email))
        return tuple(f"{label}：{value}" for label, value in pairs if value)


@dataclass(frozen=True)
class DocumentSettings:
    publisher: str = DEFAULT_PUBLISHER  # 编印单位 of the 月报 and 印发 line
    press_contact: PressContact | None = None  # 媒体联系, shown only when set

    @classmethod
    def from_extra(cls, extra: Mapping) -> "DocumentSettings":
        """`extra.publisher` (string) and `extra.press_contact` ({name, phone, email}); both optional."""
        contact = extra.get("press_contact") or {}
        name = str(contact.get("name") or "").strip() if isinstance(contact, Mapping) else ""
        press = PressContact(name, str(contact.get("phone") or "").strip(),
                             str(contact.get("email") or "").strip()) if name else None
        return cls(str(extra.get("publisher") or DEFAULT_PUBLISHER).strip() or DEFAULT_PUBLISHER, press)

    @property
    def contact_lines(self) -> tuple[str, ...]:
        return self.press_contact.lines if self.press_contact else ()

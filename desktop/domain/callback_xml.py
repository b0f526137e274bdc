"""The flat XML of WeCom's callbacks: `<xml><Name><![CDATA[text]]></Name>...</xml>`.

Callback bodies come from the network before their signature is checked, so a document
with a DOCTYPE (entities, external references) is refused before it reaches the parser.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping


class MalformedXml(ValueError):
    """Not one flat `<xml>` element of text children."""


def parse_flat_xml(document: bytes | str) -> dict[str, str]:
    """Child element name -> its text (stripped of nothing; CDATA unwrapped)."""
    raw = document.encode("utf-8") if isinstance(document, str) else document
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise MalformedXml("a DOCTYPE or an entity declaration")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise MalformedXml(str(exc)) from None
    if root.tag != "xml":
        raise MalformedXml(f"root element {root.tag!r}")
    return {child.tag: child.text or "" for child in root}


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_xml(fields: Mapping[str, str | int]) -> str:
    """Strings as CDATA, integers bare, in the order given."""
    parts = [f"<{name}>{value if isinstance(value, int) else _cdata(value)}</{name}>"
             for name, value in fields.items()]
    return "<xml>" + "".join(parts) + "</xml>"

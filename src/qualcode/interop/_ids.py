"""Ids, GUIDs and colours: stable values derived from names and ids.

* `guid(kind, *parts)`: a UUID 5 under qualcode's fixed namespace, so that the
  same code, interview or selection gets the same GUID in every export.
* `slug(text)`: lower-case ASCII letters, digits and `_`, starting with a
  letter: what qualcode accepts as a code, group or attribute id.
* `Unique`: hands out slugs, adding `_2`, `_3`... to names already taken.
* `colour(key)`: a readable `#RRGGBB` derived from an id.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import uuid

from qualcode.base.text import strip_accents

#: fixed namespace of every GUID qualcode derives (never change it: GUIDs would change)
NAMESPACE = uuid.UUID("7a343867-2fd3-46b9-89d6-1531283e7d02")

_NON_WORD = re.compile(r"[^a-z0-9]+")
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
#: ids the codebook refuses for codes
RESERVED = frozenset({"ignore", "count"})


def guid(kind: str, *parts: object) -> str:
    """A deterministic GUID for one object of one kind, lower-case, without braces."""
    name = "\x1f".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(NAMESPACE, name))


def norm_guid(value: str | None) -> str:
    """A GUID as a comparable key: braces stripped, lower-case (vendors differ)."""
    if not value:
        return ""
    text = value.strip()
    match = _GUID.match(text)
    return (match.group(1) if match else text.strip("{}")).lower()


def slug(text: str, *, fallback: str = "x", separator: str = "_") -> str:
    """`Outils partagés (PE)` -> `outils_partages_pe`; a leading digit gets `fallback_`."""
    folded = strip_accents(str(text)).lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    core = _NON_WORD.sub(separator, ascii_only).strip(separator)
    if not core:
        return fallback
    if not core[0].isalpha():
        core = f"{fallback}{separator}{core}"
    return core


class Unique:
    """Slugs that are unique within one id space."""

    def __init__(self, taken: set[str] | None = None, *, fallback: str = "x",
                 reserved: frozenset[str] = frozenset()) -> None:
        self.taken: set[str] = set(taken or ())
        self.fallback = fallback
        self.reserved = reserved

    def make(self, name: str) -> str:
        base = slug(name, fallback=self.fallback)
        if base in self.reserved:
            base = f"{base}_{self.fallback}"
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}_{n}"
        self.taken.add(candidate)
        return candidate


def colour(key: str) -> str:
    """A stable, readable colour for an id: the hue from its SHA-256, fixed saturation and value."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:4], "big") / 2**32
    saturation = 0.45 + (digest[4] / 255) * 0.25
    value = 0.70 + (digest[5] / 255) * 0.20
    red, green, blue = colorsys.hsv_to_rgb(hue, saturation, value)
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"

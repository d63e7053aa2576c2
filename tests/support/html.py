"""What a report must not hold: anything that could make a browser fetch."""

from __future__ import annotations

import re


def network_references(html: str) -> list[str]:
    """Anything that could make a browser fetch: src/href/url()/@import, http(s):// or //."""
    found = re.findall(r"""(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:[a-z]+:)?//[^"'\s>]*""",
                       html, re.I)
    found += re.findall(r"url\(\s*['\"]?\s*(?:[a-z]+:)?//[^)]*\)", html, re.I)
    found += re.findall(r"@import", html, re.I)
    found += [m for m in ("http://", "https://", "//") if m in html]
    return found

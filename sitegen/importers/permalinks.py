"""The URLs a page had on its old site, from the generator's permalink rules. Pure.

Each becomes one of the page's `aliases`, so every old link keeps working as a redirect.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urlsplit

# Jekyll's named permalink styles (https://jekyllrb.com/docs/permalinks/).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_ASCII_UNSAFE = re.compile(r"[^a-z0-9\u0080-\U0010ffff._~-]+")


def fill(pattern: str, values: dict[str, str]) -> str:
    """`pattern` with each `:name` it knows replaced (unknown ones are kept)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group()), pattern)


def date_values(date: dt.date | None) -> dict[str, str]:
    """The date placeholders Jekyll and Hugo share."""
    if date is None:
        return {}
    if not isinstance(date, dt.datetime):
        date = dt.datetime(date.year, date.month, date.day)
    return {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "i_month": str(date.month),
        "day": f"{date.day:02d}",
        "i_day": str(date.day),
        "short_year": f"{date.year % 100:02d}",
        "y_day": f"{date.timetuple().tm_yday:03d}",
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "week": f"{date.isocalendar().week:02d}",
        "short_day": date.strftime("%a"),
    }


def url_path(value: str) -> str:
    """A URL or path → its path, decoded, with one leading slash and no repeated slashes."""
    path = unquote(urlsplit(value).path) if "://" in value else unquote(value)
    path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
    return path


def path_slug(text: str) -> str:
    """A path segment the way Hugo and Zola make one: lower-case, spaces and unsafe
    characters as `-`; letters of other scripts kept."""
    return _ASCII_UNSAFE.sub("-", text.strip().lower()).strip("-")


def jekyll_post_url(pattern: str, date: dt.date | None, title: str, categories: list[str]) -> str:
    """A Jekyll post's URL: `permalink` (a style name or a pattern) filled in."""
    pattern = JEKYLL_STYLES.get(pattern, pattern)
    values = {
        **date_values(date),
        "title": title,
        "slug": title,
        "name": title,
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "output_ext": ".html",
    }
    return url_path(fill(pattern, values))


def jekyll_page_url(relative: str, style: str) -> str:
    """A Jekyll page's URL from its path (`about.md` → `/about.html`, or `/about/` in the
    pretty style); `index.md` files are their folder."""
    stem = relative.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        return url_path(stem[: -len("index")])
    pretty = style == "pretty" or JEKYLL_STYLES.get(style, style).endswith("/")
    return url_path(stem + ("/" if pretty else ".html"))


def section_url(
    pattern: str | None,
    sections: list[str],
    name: str,
    slug: str | None,
    title: str,
    date: dt.date | None,
) -> str:
    """A Hugo or Zola page's URL: a `[permalinks]` pattern of its section, else the path
    `/<sections>/<slug or file name>/`."""
    last = path_slug(slug or name)
    if pattern:
        values = {
            **date_values(date),
            "section": sections[0] if sections else "",
            "sections": "/".join(sections),
            "slug": path_slug(slug or title),
            "title": path_slug(title),
            "filename": path_slug(name),
            "contentbasename": path_slug(name),
            "slugorfilename": last,
            "slugorcontentbasename": last,
        }
        return url_path(fill(pattern, values).rstrip("/") + "/")
    return url_path("/".join([*(path_slug(s) for s in sections), last]) + "/")


def written_day(value: object) -> dt.date | None:
    """The day a date is written with (`2022-01-07 09:30:00 +0300` → 2022-01-07): the one an
    old site put in its URLs when its timezone was the writer's."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value) if isinstance(value, str) else None
    try:
        return dt.date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        return None

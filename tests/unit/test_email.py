"""The email edition: each day's `email.html` (inlined, absolute, tagged) and `email.txt`,
the `email:` section of sitegen.yaml, and the message `sitegen email` makes of them."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from sitegen.build.email.message import make_message
from sitegen.build.pipeline import BuildOptions
from sitegen.check import check_site
from sitegen.core.config import Site, parse_config
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, build_site
from tests.image_factory import photo, save

EMAIL_CONFIG = MINIMAL_CONFIG + (
    "email:\n"
    "  from: 'المرصد <news@example.org>'\n"
    "  to: [readers@example.org]\n"
    "  footer: |\n    شركة المرصد\n    الرياض\n"
    "  unsubscribe: '*|UNSUB|*'\n"
    "  utm: {source: newsletter, medium: email, campaign: 'digest-{date}'}\n"
    "topics: [سياسة, رياضة]\n"
)
DAY = "2022/01/07/"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of the document."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


@pytest.fixture
def files(make_site: Callable[..., Site]) -> dict[str, bytes]:
    site = make_site(
        {
            "content/a.md": article(
                "الحكومة تقر الموازنة & الخطة",
                "2022-01-07T09:00:00+03:00",
                topic="سياسة",
                pinned="true",
                summary="ملخص الخبر الأول.",
                image="lead.jpg",
                image_alt="قاعة البرلمان",
            ),
            "content/lead.jpg": save(photo(1600, 900), "JPEG"),
            "content/b.md": article("خبر سياسي ثان", "2022-01-07T10:00:00+03:00", topic="سياسة"),
            "content/c.md": article("فوز المنتخب", "2022-01-07T11:00:00+03:00", topic="رياضة"),
            "content/d.md": article("خبر بلا باب", "2022-01-07T12:00:00+03:00"),
            "content/e.md": article("خبر الأمس", "2022-01-06T12:00:00+03:00", topic="رياضة"),
        },
        config=EMAIL_CONFIG,
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


def test_every_day_has_an_html_email_and_its_text_twin(files: dict[str, bytes]) -> None:
    emails = sorted(p for p in files if p.endswith(("email.html", "email.txt")))
    assert emails == [
        "2022/01/06/email.html",
        "2022/01/06/email.txt",
        "2022/01/07/email.html",
        "2022/01/07/email.txt",
    ]


def test_styles_are_inlined_but_media_queries_and_dark_mode(files: dict[str, bytes]) -> None:
    html = files[DAY + "email.html"].decode()
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert len(styles) == 1  # only the block no attribute can hold
    rules = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^}]*\})*\s*\}", "", styles[0]).strip()
    assert rules == ""
    assert "prefers-color-scheme: dark" in styles[0] and "max-width: 620px" in styles[0]
    page = Tags(html)
    for tag in ("body", "table", "td", "h1", "h2", "h3", "p", "a"):
        for attrs in page.all(tag):
            assert "font-family: Tahoma" in (attrs.get("style") or ""), (tag, attrs)
    assert not page.all("script") and not page.all("link")
    assert "<script" not in html and "stylesheet" not in html


def test_the_frame_is_600_px_with_direction_and_alignment_for_outlook(
    files: dict[str, bytes],
) -> None:
    page = Tags(files[DAY + "email.html"].decode())
    (html,) = page.all("html")
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    frames = [t for t in page.all("table") if "frame" in (t.get("class") or "")]
    assert frames[0]["width"] == "600" and "width: 600px" in (frames[0]["style"] or "")
    cells = [t for t in page.all("td") if t.get("class") in ("pad", "masthead", "footer")]
    assert cells and all(c["dir"] == "rtl" and c["align"] == "right" for c in cells)


def test_links_are_absolute_and_tagged_with_utm(files: dict[str, bytes]) -> None:
    page = Tags(files[DAY + "email.html"].decode())
    links = [a["href"] or "" for a in page.all("a")]
    site_links = [h for h in links if h != "*|UNSUB|*"]
    assert site_links and all(h.startswith("https://example.org/") for h in site_links)
    tag = "utm_source=newsletter&utm_medium=email&utm_campaign=digest-2022-01-07"
    assert all(h.endswith("?" + tag) for h in site_links)
    assert "*|UNSUB|*" in links  # the sender's merge tag, untouched


def test_the_lead_image_is_absolute_with_size_and_alt(files: dict[str, bytes]) -> None:
    page = Tags(files[DAY + "email.html"].decode())
    (image,) = page.all("img")
    assert image["src"] and image["src"].startswith("https://example.org/images/")
    assert (image["width"], image["height"], image["alt"]) == ("600", "338", "قاعة البرلمان")
    assert image["src"].removeprefix("https://example.org/") in files


def test_the_preheader_is_the_leads_summary_hidden(files: dict[str, bytes]) -> None:
    html = files[DAY + "email.html"].decode()
    match = re.search(r'<div class="preheader" style="([^"]*)">([^<]*)</div>', html)
    assert match and match.group(2).startswith("ملخص الخبر الأول.")
    assert "display: none" in match.group(1) and "mso-hide: all" in match.group(1)
    assert html.index("preheader") < html.index('class="wrapper"')  # the first text shown


def test_the_footer_and_unsubscribe_come_from_config(files: dict[str, bytes]) -> None:
    html = files[DAY + "email.html"].decode()
    assert "شركة المرصد<br>الرياض" in html
    assert re.search(r'<a href="\*\|UNSUB\|\*"[^>]*>إلغاء الاشتراك</a>', html)


def test_the_text_twin_lists_every_headline_by_topic(files: dict[str, bytes]) -> None:
    text = files[DAY + "email.txt"].decode()
    assert "&amp;" not in text and "الحكومة تقر الموازنة & الخطة" in text  # not HTML-escaped
    lines = text.splitlines()
    order = [line for line in lines if line.startswith(("==", "* "))]
    assert order == [
        "== سياسة ==",
        "* خبر سياسي ثان",
        "== رياضة ==",
        "* فوز المنتخب",
        "== أخبار أخرى ==",
        "* خبر بلا باب",
    ]
    for i, line in enumerate(lines):  # each headline followed by its absolute, tagged link
        if line.startswith("* "):
            assert lines[i + 1].strip().startswith("https://example.org/2022/01/07/")
            assert lines[i + 1].endswith("utm_campaign=digest-2022-01-07")
    assert lines[lines.index("الحكومة تقر الموازنة & الخطة") + 2].startswith("https://")
    assert "إلغاء الاشتراك: *|UNSUB|*" in text


def test_emails_stay_out_of_sitemaps_and_feeds(files: dict[str, bytes]) -> None:
    for name in ("sitemap.xml", "feed.xml", "rss.xml"):
        assert b"email." not in files[name], name


def test_no_emails_without_an_absolute_base_url_or_with_email_false(
    make_site: Callable[..., Site],
) -> None:
    content = {"content/a.md": article("خبر")}
    for config in (
        MINIMAL_CONFIG.replace("https://example.org/", "/news/"),
        MINIMAL_CONFIG + "email: false\n",
    ):
        result = build_site(make_site(content, config=config))
        assert result.ok and not [p for p in result.files if "email." in p], config


def test_the_email_section_is_checked_with_lines() -> None:
    config, problems = parse_config(
        "title: t\nemail:\n  from: not-an-address\n  to: [a@example.org, 'x y']\n  utm: {sourc: a}\n"
    )
    assert config is None
    shown = sorted(p.format() for p in problems)
    assert shown == [
        "sitegen.yaml:3: 'email.from': 'not-an-address' is not an e-mail address such as news@example.org",
        "sitegen.yaml:4: 'email.to': 'x y' is not an e-mail address such as news@example.org",
        "sitegen.yaml:5: unknown key 'email.utm.sourc' (did you mean 'source'?)",
    ]


def test_the_message_is_multipart_alternative_text_then_html() -> None:
    message = make_message(
        "المرصد — عنوان",
        "نص",
        "<p>نص</p>",
        "المرصد <news@example.org>",
        ("a@example.org",),
        FIXED_NOW,
    )
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Subject"] == "المرصد — عنوان"
    assert parsed["From"].addresses[0].display_name == "المرصد"
    parts = [(p.get_content_type(), p.get_content_charset()) for p in parsed.iter_parts()]
    assert parts == [("text/plain", "utf-8"), ("text/html", "utf-8")]
    contents = [p.get_content() for p in parsed.iter_parts()]
    assert contents == ["نص\r\n", "<p>نص</p>\r\n"]  # SMTP line ends


def test_sitegen_check_accepts_the_emails(make_site: Callable[..., Site]) -> None:
    """Emails are checked like pages (links, `<html lang dir>`), but their physical styles are
    what mail clients need, not an RTL mistake."""
    site = make_site({"content/a.md": article("خبر", topic="سياسة")}, config=EMAIL_CONFIG)
    assert check_site(site, BuildOptions(now=FIXED_NOW)) == []

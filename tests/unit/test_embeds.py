"""Video embeds kept through an allow-list, other iframes removed with a warning at their
line; other generators' template syntax left in a body warned at its line (parse stage)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.parse import parse
from sitegen.build.readers.base import ReaderSettings
from sitegen.core.config_sections import MarkdownConfig

HEAD = "---\ntitle: خبر\ndate: 2022-01-07\n---\n"  # the body starts on line 5


def parsed(body: str) -> tuple[str, list[str]]:
    source = SourceFile("content/a.md", (HEAD + body).encode(), "")
    settings = ReaderSettings(ZoneInfo("Asia/Riyadh"))
    document, problems = parse(source, settings, MarkdownRenderer(MarkdownConfig()))
    assert document is not None
    return document.html, [p.format() for p in problems]


def test_youtube_iframe_is_published_privately_lazily_and_sandboxed() -> None:
    html, problems = parsed(
        'نص.\n\n<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?start=30&autoplay=1" '
        'title="مؤتمر صحفي" onload="alert(1)" width="1"></iframe>\n'
    )
    assert problems == []
    assert (
        '<iframe class="embed embed-youtube" '
        'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30" title="مؤتمر صحفي" '
        'loading="lazy" sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"'
    ) in html
    assert "onload" not in html and "autoplay" not in html


def test_vimeo_and_youtube_watch_urls_are_embeds_too() -> None:
    html, problems = parsed(
        '<iframe src="https://player.vimeo.com/video/76979871" title="أهداف"></iframe>\n\n'
        '<iframe src="https://youtu.be/dQw4w9WgXcQ" title="فيديو"></iframe>\n'
    )
    assert problems == []
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html


def test_other_iframes_and_untitled_videos_are_removed_with_a_warning_at_their_line() -> None:
    html, problems = parsed(
        "فقرة.\n\n"
        '<iframe src="https://maps.example.com/embed?q=x"></iframe>\n\n'
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>\n'
    )
    assert "<iframe" not in html
    assert problems == [
        "content/a.md:7: warning: iframe from 'maps.example.com' removed: only YouTube and "
        "Vimeo embeds are kept",
        'content/a.md:9: warning: youtube iframe removed: it needs a title="…" naming the video',
    ]


def test_an_iframe_in_a_code_fence_is_code() -> None:
    html, problems = parsed('```html\n<iframe src="https://evil.example/"></iframe>\n```\n')
    assert problems == []
    assert "&lt;iframe" in html


def test_left_over_template_syntax_is_a_warning_at_its_line_but_not_in_code() -> None:
    _, problems = parsed(
        "فقرة.\n\n{{< youtube abc >}}\n\n`{% raw %}` و\n\n```\n{{ site.url }}\n```\n\n"
        "[الرئيسية]({{ site.url }})\n"
    )
    assert [p.split(": warning: ")[0] for p in problems] == ["content/a.md:7", "content/a.md:15"]
    assert all("template syntax left as text" in p for p in problems)


def test_unsafe_html_keeps_iframes_as_written() -> None:
    source = SourceFile(
        "content/a.md",
        (HEAD + '<iframe src="https://maps.example.com/x" title="خريطة"></iframe>\n').encode(),
        "",
    )
    settings = ReaderSettings(ZoneInfo("Asia/Riyadh"))
    renderer = MarkdownRenderer(MarkdownConfig(unsafe_html=True))
    document, problems = parse(source, settings, renderer)
    assert document is not None and problems == []
    assert '<iframe src="https://maps.example.com/x" title="خريطة"></iframe>' in document.html

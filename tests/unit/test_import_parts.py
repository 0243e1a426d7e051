"""The pieces of `sitegen import --from …`: template-syntax conversion, old URLs, front
matter maps, topics added to sitegen.yaml, plain-text `--dry-run`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from sitegen.importers.folder import Topic, content_layout, split_language
from sitegen.importers.frontmatter import common_meta, image_map
from sitegen.importers.permalinks import jekyll_page_url, jekyll_post_url, section_url
from sitegen.importers.plaintext import import_news_texts
from sitegen.importers.syntax import HUGO, LIQUID, WORDPRESS, ZOLA, Context, convert
from sitegen.importers.topics_yaml import with_topics

URLS = {"2022-01-08-oil": "/2022/01/08/oil/", "posts/x": "/2023/01/02/x/"}
CTX = Context(
    "عنوان",
    {"title": "مجلة"},
    lambda kind, ref: next(
        (u for k, u in URLS.items() if k.endswith(ref.removesuffix(".md"))), None
    ),
    lambda name: "<b>ملاحظة</b>" if name == "note.html" else None,
)
SEED = Path(__file__).parents[2] / "content" / "world" / "2022-01-07-kazakhstan.txt"


def test_liquid_is_converted_and_the_rest_reported_at_its_line() -> None:
    body = (
        "![خريطة]({{ site.baseurl }}/img/a.png) [الرئيسية]({{ site.url }}) {{ site.title }}\n"
        "[النفط]({% post_url 2022-01-08-oil %}) {% post_url missing %}\n"
        "{% include note.html %} {% include ad.html slot=1 %}\n"
        "`{% raw %}` {% raw %}{{ kept }}{% endraw %}\n"
        "{% if x %}y{% endif %}\n"
    )
    text, notes = convert(body, LIQUID, CTX)
    assert text.splitlines() == [
        "![خريطة](/img/a.png) [الرئيسية](/) مجلة",
        "[النفط](/2022/01/08/oil/) {% post_url missing %}",
        "<b>ملاحظة</b> {% include ad.html slot=1 %}",
        "`{% raw %}` {{ kept }}",
        "{% if x %}y{% endif %}",
    ]
    assert notes == [
        (2, "{% post_url %} left as is: '{% post_url missing %}'"),
        (3, "{% include %} left as is: '{% include ad.html slot=1 %}'"),
        (5, "Liquid tag left as is: '{% endif %}'"),
        (5, "Liquid tag left as is: '{% if x %}'"),
    ]


def test_hugo_shortcodes_outside_code_only() -> None:
    body = (
        '{{< youtube id="dQw4w9WgXcQ" title="مقابلة" >}}\n'
        '{{< figure src="a.jpg" alt="صورة" caption="شرح" >}}\n'
        '[x]({{< relref "posts/x.md#h" >}}) {{< tweet 1 >}}\n'
        "```\n{{< youtube dQw4w9WgXcQ >}}\n```\n"
    )
    text, notes = convert(body, HUGO, CTX)
    assert (
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="مقابلة">' in text
    )
    assert '<figure><img src="a.jpg" alt="صورة"><figcaption>شرح</figcaption></figure>' in text
    assert "[x](/2023/01/02/x/#h)" in text
    assert text.endswith("```\n{{< youtube dQw4w9WgXcQ >}}\n```\n")
    assert notes == [(3, "Hugo shortcode left as is: '{{< tweet 1 >}}'")]


def test_zola_links_and_wordpress_captions() -> None:
    text, notes = convert("[x](@/posts/x.md) [y](@/nowhere.md)\n", ZOLA, CTX)
    assert text == "[x](/2023/01/02/x/) [y](@/nowhere.md)\n"
    assert notes == [(1, "Zola internal link left as is: '@/nowhere.md'")]
    body = (
        "<!-- wp:image -->\n"
        '[caption id="a" width="300"]<a href="/b.jpg"><img src="/b.jpg" alt="" /></a> جسر[/caption]\n'
        "<!-- /wp:image -->\n"
    )
    text, notes = convert(body, WORDPRESS, CTX)
    assert notes == []
    assert text.strip() == (
        '<figure><a href="/b.jpg"><img src="/b.jpg" alt="" /></a><figcaption>جسر</figcaption></figure>'
    )


def test_old_urls() -> None:
    day = dt.date(2022, 1, 7)
    assert (
        jekyll_post_url("date", day, "x", ["Politics", "World"])
        == "/politics/world/2022/01/07/x.html"
    )
    assert jekyll_post_url("pretty", day, "x", []) == "/2022/01/07/x/"
    assert jekyll_post_url("/:year/:i_month/:title/", day, "خبر", []) == "/2022/1/خبر/"
    assert jekyll_page_url("about.md", "date") == "/about.html"
    assert jekyll_page_url("guides/index.md", "pretty") == "/guides/"
    assert section_url(None, ["Posts"], "My Trip", None, "", None) == "/posts/my-trip/"
    assert (
        section_url("/:year/:slug/", ["posts"], "trip", None, "سفر شیراز", day)
        == "/2022/سفر-شیراز/"
    )


def test_languages_and_bundles_from_file_names() -> None:
    assert split_language("index.fa.md") == ("index", "fa")
    assert split_language("v1.2.md") == ("v1.2", None)
    layout = content_layout("posts/trip/index.fa.md")
    assert (layout.sections, layout.name, layout.bundle, layout.language) == (
        ["posts"],
        "trip",
        True,
        "fa",
    )
    assert content_layout("docs/_index.md").section_index


def test_front_matter_maps() -> None:
    assert image_map({"feature": {"path": "a.jpg", "alt": "بديل"}, "caption": "شرح"}) == {
        "image": "a.jpg",
        "image_alt": "بديل",
        "image_caption": "شرح",
    }
    assert image_map(["b.jpg"]) == {"image": "b.jpg"}
    assert image_map({"alt": "no path"}) == {}
    meta = common_meta(
        {"title": "ع", "lastmod": "2022-01-09", "layout": "post", "tags": "أ, ب", "mood": "x"}
    )
    assert meta == {"title": "ع", "updated": "2022-01-09", "tags": ["أ", "ب"], "mood": "x"}


def test_topics_are_added_to_a_block_list_keeping_comments() -> None:
    text = "title: x  # the name\ntopics:\n  # first\n  - name: سياسة\n    slug: politics\n\n# after\nlanguage: ar\n"
    edited = with_topics(text, [("economy", Topic("اقتصاد", "المال"))], "jekyll")
    assert edited == (
        "title: x  # the name\ntopics:\n  # first\n  - name: سياسة\n    slug: politics\n"
        '  - name: "اقتصاد"\n    slug: "economy"\n    description: "المال"\n'
        "\n# after\nlanguage: ar\n"
    )


def test_topics_block_is_appended_or_refused_in_flow_style() -> None:
    edited = with_topics("title: x\n", [("sports", Topic("رياضة"))], "wordpress")
    assert edited is not None
    assert yaml.safe_load(edited)["topics"] == [{"name": "رياضة", "slug": "sports"}]
    assert "# --- added by `sitegen import --from wordpress`" in edited
    assert with_topics("title: x\ntopics: [a, b]\n", [("s", Topic("رياضة"))], "feed") is None


def test_plain_text_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = import_news_texts([SEED], tmp_path, None, False, ZoneInfo("Asia/Riyadh"), dry_run=True)
    assert len(result.written) == 1 and result.diagnostics == ()
    assert list(tmp_path.iterdir()) == []

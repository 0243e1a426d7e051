"""A site with every kind of image builds; pages reference variants that exist, at their sizes."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build.images.articles import process_article_images
from sitegen.build.pipeline import BuildResult
from sitegen.build.routes import Routes
from sitegen.build.write import write_site
from sitegen.core.config import Site, load_site
from sitegen.core.diagnostics import Severity
from tests.conftest import (
    FIXED_NOW,
    MINIMAL_CONFIG,
    article,
    build_site,
    read_articles,
    write_files,
)
from tests.image_factory import (
    SECRET,
    animated_gif,
    jpeg_with_metadata,
    photo,
    png_with_alpha,
    save,
)

REPO = Path(__file__).resolve().parents[2]
DAY = "content/2022/01/07"
LEAD_PAGE = "2022/01/07/صورة-رئيسية/index.html"


def image_files() -> dict[str, bytes]:
    return {
        "static/img/photo.jpg": save(photo(1800, 1200), "JPEG", quality=85),
        "static/img/rotated.jpg": jpeg_with_metadata(1200, 800, orientation=6),
        f"{DAY}/logo.png": png_with_alpha(900, 600),
        "static/img/anim.gif": animated_gif(480, 270),
        "static/img/huge.jpg": save(photo(8000, 5000), "JPEG", quality=70),
    }


def articles() -> dict[str, str]:
    return {
        f"{DAY}/lead.md": article(
            "صورة رئيسية",
            topic="سياسة",
            image="/img/photo.jpg",
            image_alt="الوزير يتحدث",
            image_caption="الوزير خلال المؤتمر الصحفي",
            image_credit="Reuters",
            body="نص الخبر.\n\n![شعار الحزب](logo.png)\n\nثم ![صورة متحركة](/img/anim.gif)\n",
        ),
        f"{DAY}/rotated.md": article(
            "صورة مدورة",
            date="2022-01-07T08:00:00+03:00",
            topic="سياسة",
            image="/img/rotated.jpg",
            image_alt="صورة من الهاتف",
        ),
        f"{DAY}/logo.md": article(
            "شعار شفاف",
            date="2022-01-07T07:00:00+03:00",
            topic="اقتصاد",
            image="logo.png",
            image_alt="شعار",
        ),
        f"{DAY}/huge.md": article(
            "صورة ضخمة",
            date="2022-01-07T06:00:00+03:00",
            topic="اقتصاد",
            image="static/img/huge.jpg",
            image_alt="منظر",
        ),
        f"{DAY}/remote.md": article(
            "صورة من الخارج",
            date="2022-01-07T05:00:00+03:00",
            topic="اقتصاد",
            image="https://cdn.example.com/a.jpg",
            image_alt="صورة خارجية",
        ),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = write_files(
        tmp_path_factory.mktemp("images") / "site",
        {"sitegen.yaml": MINIMAL_CONFIG, **image_files(), **articles()},
    )
    loaded, problems = load_site(root)
    assert loaded is not None, problems
    return loaded


@pytest.fixture(scope="module")
def built(site: Site) -> BuildResult:
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


class ImageTags(HTMLParser):
    """`<img>` and `<source>` attributes, plus the figure's caption markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "source"):
            self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags_of(html: bytes) -> list[tuple[str, dict[str, str]]]:
    parser = ImageTags()
    parser.feed(html.decode())
    return parser.tags


def size_of(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_every_referenced_variant_exists_with_the_stated_size(built: BuildResult) -> None:
    checked = 0
    for name, data in built.files.items():
        if not name.endswith(".html"):
            continue
        for tag, attrs in tags_of(data):
            if attrs.get("src", "").startswith("https://"):
                continue
            for candidate in filter(None, attrs.get("srcset", "").split(", ")):
                url, descriptor = candidate.split(" ")
                assert size_of(built.files[url.lstrip("/")])[0] == int(descriptor[:-1]), url
                checked += 1
            if tag == "img":
                width, height = size_of(built.files[attrs["src"].lstrip("/")])
                assert (attrs["width"], attrs["height"]) == (str(width), str(height)), name
    assert checked > 50


def test_each_kind_of_image_is_processed_as_it_should(built: BuildResult) -> None:
    images = {name: data for name, data in built.files.items() if name.startswith("images/")}
    by_stem: dict[str, list[str]] = {}
    for name in images:
        by_stem.setdefault(name.split("/")[1].split("-")[0], []).append(name)
    sizes = {stem: sorted(size_of(images[n]) for n in names) for stem, names in by_stem.items()}
    assert sizes["rotated"][-1] == (800, 1200)  # EXIF orientation applied
    assert sizes["huge"][-1] == (1600, 1000)  # 40 megapixels down to the largest width
    assert sizes["photo"][-1] == (1600, 1067)
    assert [n.rsplit(".", 1)[1] for n in by_stem["anim"]] == ["gif"]
    assert Image.open(io.BytesIO(images[by_stem["anim"][0]])).n_frames == 3
    logo_png = [n for n in by_stem["logo"] if n.endswith(".png")]
    assert len(logo_png) == 3
    assert all(Image.open(io.BytesIO(images[n])).mode == "RGBA" for n in logo_png)


def test_no_metadata_and_no_original_reaches_the_output(built: BuildResult) -> None:
    assert not [name for name, data in built.files.items() if SECRET.encode() in data]
    assert not [
        name for name in built.files if name.startswith("img/") or name.endswith("logo.png")
    ]


def test_article_page_has_a_figure_with_caption_credit_and_priority(built: BuildResult) -> None:
    page = built.files[LEAD_PAGE].decode()
    figure = re.search(r'<figure class="lead-image">.*?</figure>', page, re.S)
    assert figure is not None
    assert '<span class="caption" dir="rtl">الوزير خلال المؤتمر الصحفي</span>' in figure.group()
    assert '<span class="credit">تصوير: <bdi>Reuters</bdi></span>' in figure.group()
    lead, *body = [attrs for tag, attrs in tags_of(built.files[LEAD_PAGE]) if tag == "img"]
    assert lead["fetchpriority"] == "high" and "loading" not in lead
    assert lead["alt"] == "الوزير يتحدث"
    assert [(img["alt"], img["loading"]) for img in body[:2]] == [
        ("شعار الحزب", "lazy"),
        ("صورة متحركة", "lazy"),
    ]
    assert all("fetchpriority" not in img for img in body)


@pytest.mark.parametrize("page", ["2022/01/07/index.html", "topics/اقتصاد/index.html"])
def test_digest_and_topic_pages_show_lazy_thumbnails(built: BuildResult, page: str) -> None:
    thumbs = [a for t, a in tags_of(built.files[page]) if t == "img"]
    if page == "2022/01/07/index.html":  # the digest opens with its lead story, loaded first
        lead, *thumbs = thumbs
        assert lead["fetchpriority"] == "high" and lead["alt"] == "" and "loading" not in lead
    assert len(thumbs) >= 2
    assert all(img["loading"] == "lazy" and img["alt"] == "" for img in thumbs)
    assert "https://cdn.example.com/a.jpg" in [img["src"] for img in thumbs]


def test_second_build_processes_no_image(site: Site, built: BuildResult) -> None:
    again = build_site(site)
    assert (built.stats.images, again.stats.images, again.stats.images_processed) == (5, 5, 0)
    assert again.files == built.files


def test_lead_image_data_for_templates_and_sharing(site: Site) -> None:
    found, _ = read_articles(site, FIXED_NOW)
    media = process_article_images(found, site.root, site.config.images, Routes(site.config), None)
    lead = media.leads[f"{DAY}/lead.md"]
    assert lead["share"]["url"].startswith("https://example.org/images/photo-1600.")
    assert (lead["share"]["width"], lead["share"]["height"]) == (1600, 1067)
    remote = media.leads[f"{DAY}/remote.md"]
    assert remote["remote"] and remote["share"]["url"] == "https://cdn.example.com/a.jpg"


def test_lazy_loading_can_be_switched_off(make_site: Callable[..., Site]) -> None:
    files = {
        "static/img/photo.jpg": save(photo(800, 600), "JPEG"),
        f"{DAY}/a.md": article(
            "خبر", image="/img/photo.jpg", image_alt="x", body="![y](/img/photo.jpg)"
        ),
    }
    result = build_site(
        make_site(files, config=MINIMAL_CONFIG + "images:\n  lazy_loading: false\n")
    )
    assert result.ok
    assert not [name for name, data in result.files.items() if b'loading="lazy"' in data]


def test_problems_are_reported_where_the_article_names_the_image(
    make_site: Callable[..., Site],
) -> None:
    files = {
        "static/img/ok.jpg": save(photo(300, 200), "JPEG"),
        "static/img/broken.jpg": save(photo(300, 200), "JPEG")[:1500],
        "static/img/big.png": save(Image.new("L", (1500, 1000)), "PNG"),
        "static/img/notes.bmp": save(photo(20, 20), "BMP"),
        "content/a.md": article("أ", image="missing.jpg", image_alt="x"),
        "content/b.md": article("ب", image="/img/broken.jpg", image_alt="x"),
        "content/c.md": article("ج", image="../../../etc/passwd", image_alt="x"),
        "content/d.md": article("د", image="/img/ok.jpg"),
        "content/e.md": article("هـ", body="سطر\n\n![صورة](nothere.png)\n"),
        "content/f.md": article("و", image="/img/notes.bmp", image_alt="x"),
        "content/g.md": article("ز", image="/img/big.png", image_alt="x"),
    }
    config = MINIMAL_CONFIG + "images:\n  max_pixels: 1000000\n"
    result = build_site(make_site(files, config=config))
    assert not result.ok
    shown = [d.format() for d in result.diagnostics]
    assert shown == [
        "content/a.md:4: warning: image 'missing.jpg' not found (looked for content/missing.jpg,"
        " static/missing.jpg)",
        "content/b.md:4: image '/img/broken.jpg': the image file is truncated"
        " (copy or export it again)",
        "content/c.md:4: image '../../../etc/passwd' is not a file of the site or an http(s) URL"
        " (name a file next to the article or under static/)",
        "content/d.md:4: warning: the image has no alt text (add 'image_alt')",
        "content/e.md:7: warning: image 'nothere.png' not found (looked for content/nothere.png,"
        " static/nothere.png)",
        "content/f.md:4: image '/img/notes.bmp': unsupported image format BMP"
        " (use JPEG, PNG, GIF, WebP or SVG)",
        "content/g.md:4: image '/img/big.png': too many pixels: 1500×1000 (1.5 megapixels) is"
        " more than images.max_pixels (1000000) (downscale the file or raise images.max_pixels)",
    ]
    assert [d.severity for d in result.diagnostics].count(Severity.WARNING) == 3


def test_body_image_without_alt_text_is_a_warning(make_site: Callable[..., Site]) -> None:
    files = {
        "static/img/ok.jpg": save(photo(300, 200), "JPEG"),
        "content/a.md": article("أ", body='نص\n\n<img src="/img/ok.jpg">\n\n![](/img/ok.jpg)\n'),
    }
    result = build_site(make_site(files, config=MINIMAL_CONFIG + "markdown: {unsafe_html: true}\n"))
    assert result.ok  # alt="" (what ![](…) writes) marks a decorative image: no warning
    assert [d.format() for d in result.diagnostics] == [
        "content/a.md:7: warning: image '/img/ok.jpg' has no alt text"
    ]


def test_cli_second_build_processes_no_image(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "static/img/rotated.jpg": jpeg_with_metadata(1200, 800, orientation=6),
            "static/img/anim.gif": animated_gif(200, 100),
            "content/a.md": article(
                "خبر", image="/img/rotated.jpg", image_alt="x", body="![y](/img/anim.gif)"
            ),
        },
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def build() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "build"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "2 images (2 processed)" in build()
    assert "2 images (0 processed)" in build()
    written = [p for p in (root / "output").rglob("*") if p.is_file()]
    assert not [p for p in written if SECRET.encode() in p.read_bytes()]
    assert sorted(p.suffix for p in (root / "output" / "images").iterdir()) == [
        ".gif",
        ".jpg",
        ".jpg",
        ".jpg",
        ".webp",
        ".webp",
        ".webp",
    ]
    assert list((root / ".sitegen" / "cache" / "images").glob("*/*/entry.json"))


def test_docs_examples_build(make_site: Callable[..., Site]) -> None:
    text = (REPO / "docs" / "images.md").read_text(encoding="utf-8")
    examples = dict(re.findall(r"<!-- example: (\S+) -->\n```\w*\n(.*?)```", text, re.S))
    files = {
        "content/2022/01/07/summit.md": examples["content/2022/01/07/summit.md"],
        "content/2022/01/07/summit.jpg": save(photo(1200, 800), "JPEG"),
        "static/img/hall.jpg": save(photo(900, 600), "JPEG"),
    }
    result = build_site(make_site(files, config=examples["sitegen.yaml"]))
    assert result.ok and not result.diagnostics, [d.format() for d in result.diagnostics]
    page = result.files["2022/01/07/القمة-تبدأ-أعمالها/index.html"].decode()
    assert "القادة قبل افتتاح القمة في الرياض" in page and "<bdi>وكالة المشرق</bdi>" in page
    assert page.count("<picture>") == 2


def test_variants_of_a_replaced_image_are_removed_from_the_output(
    make_site: Callable[..., Site],
) -> None:
    files = {
        "static/img/a.jpg": save(photo(800, 600), "JPEG"),
        "content/a.md": article("أ", image="/img/a.jpg", image_alt="x"),
    }
    site = make_site(files)
    first = build_site(site)
    write_site(first.files, site.output_dir, site.state_dir)
    (site.root / "static/img/a.jpg").write_bytes(save(photo(800, 600), "JPEG", quality=50))
    second = build_site(site)
    report = write_site(second.files, site.output_dir, site.state_dir)
    on_disk = {p.name for p in (site.output_dir / "images").iterdir()}
    assert on_disk == {name.split("/")[1] for name in second.files if name.startswith("images/")}
    assert report.removed == 6
    assert len(list((site.state_dir / "cache" / "images").glob("*/*"))) == 1

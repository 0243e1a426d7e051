"""`sitegen serve` on a small real site: the pipeline's build behind the preview."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect
from serve_support import write_atomically

from sitegen.build.theme import builtin_themes_dir
from sitegen.serve.run import Preview, exposure_warning, site_builder, watched_site
from sitegen.serve.watch import ChangeSet

CONFIG = "title: موقع تجريبي\nlanguage: ar\ntimezone: Asia/Riyadh\nbase_url: https://example.org/\n"
SLUG = "خبر-تجريبي"
URL_PATH = f"2022/01/07/{SLUG}/"
BILINGUAL = Path(__file__).resolve().parents[1] / "golden" / "sites" / "bilingual"


def article(title: str, front_matter_extra: str = "") -> str:
    return (
        f'---\ntitle: "{title}"\ndate: 2022-01-07T09:30:00+03:00\ntopic: سياسة\n'
        f"slug: {SLUG}\n{front_matter_extra}---\n\nنص الخبر الأول.\n"
    )


@pytest.fixture
def real_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/politics").mkdir(parents=True)
    (root / "sitegen.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "content/politics/a.md").write_text(article("العنوان الأول"), encoding="utf-8")
    return root


@pytest.fixture
def real_preview(real_site: Path, start_preview) -> Preview:
    return start_preview(site_builder(real_site), watched_site(real_site))


def test_serves_the_pipeline_build_from_memory(real_preview: Preview, real_site: Path) -> None:
    assert real_preview.state.current.files, "initial build failed"
    with urllib.request.urlopen(real_preview.url + quote(URL_PATH), timeout=5) as response:
        page = response.read().decode()
    assert "العنوان الأول" in page and "/_sitegen/livereload.js" in page
    assert not (real_site / "output").exists()
    state = real_site / ".sitegen"  # the preview's own save and the content-addressed caches
    assert all(p.relative_to(state).parts[0] in ("serve", "cache") for p in state.rglob("*"))


def test_broken_config_is_a_failed_build_with_its_line(
    real_preview: Preview, real_site: Path
) -> None:
    epoch = real_preview.state.current.epoch
    write_atomically(real_site / "sitegen.yaml", CONFIG + "titel: خطأ\n")
    frame = real_preview.state.wait_after(epoch, timeout=5)
    assert frame is not None and frame.failed and frame.files
    assert any(d.format().startswith("sitegen.yaml:5: ") for d in frame.diagnostics)


@pytest.mark.browser
def test_edit_title_broken_yaml_and_fix_in_the_browser(
    real_preview: Preview, real_site: Path, page: Page
) -> None:
    source = real_site / "content/politics/a.md"
    page.goto(real_preview.url + quote(URL_PATH))
    page.wait_for_function("window.__sitegenConnected === true", timeout=5000)
    heading = page.locator("article h1")
    expect(heading).to_have_text("العنوان الأول")

    started = time.monotonic()
    write_atomically(source, article("عنوان معدّل"))
    expect(heading).to_have_text("عنوان معدّل", timeout=2000)
    assert time.monotonic() - started < 2.0

    write_atomically(source, article("عنوان معدّل", "tags: [غير, مغلق\n"))
    overlay = page.locator("#sitegen-overlay")
    expect(overlay).to_be_visible(timeout=2000)
    expect(overlay).to_contain_text(re.compile(r"content/politics/a\.md:\d+: invalid YAML"))
    assert overlay.evaluate("e => getComputedStyle(e).direction") == "rtl"

    write_atomically(source, article("عنوان نهائي"))
    expect(overlay).to_have_count(0, timeout=2000)
    expect(heading).to_have_text("عنوان نهائي")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_cli(root: Path, *args: str) -> subprocess.Popen[str]:
    """`python -m sitegen serve` in a subprocess whose Ctrl-C (SIGINT) is not ignored."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--source", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_cli_serves_and_stops_cleanly_on_ctrl_c(real_site: Path) -> None:
    port = free_port()
    process = start_cli(real_site, "--port", str(port))
    try:
        lines = []
        while not any("Serving" in line for line in lines):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        assert f"Serving http://127.0.0.1:{port}/" in lines[-1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "Stopped." in output and "Traceback" not in output
    assert not (real_site / "output").exists()


def test_cli_port_in_use_exits_2(real_site: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = start_cli(real_site, "--port", str(busy.getsockname()[1]))
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "cannot listen on 127.0.0.1" in output and "Traceback" not in output


def test_cli_without_config_exits_2(tmp_path: Path) -> None:
    process = start_cli(tmp_path, "--port", "0")
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 2 and "sitegen.yaml" in output


def test_exposure_warning_only_beyond_loopback() -> None:
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    warning = exposure_warning("0.0.0.0")
    assert warning is not None and warning.startswith("warning: listening on 0.0.0.0")


def test_first_build_failing_on_config_is_fixed_by_a_save(real_site: Path, start_preview) -> None:
    config = real_site / "sitegen.yaml"
    config.write_text(CONFIG + "language: [ar\n", encoding="utf-8")
    preview = start_preview(site_builder(real_site), watched_site(real_site))
    first = preview.state.current
    assert first.failed and not first.files
    assert first.diagnostics[0].path == "sitegen.yaml"
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(preview.url, timeout=5)
    assert failure.value.code == 503 and b"sitegen.yaml:" in failure.value.read()
    write_atomically(config, CONFIG)
    fixed = preview.state.wait_after(first.epoch, timeout=5)
    assert fixed is not None and not fixed.failed and "index.html" in fixed.files


def test_an_alias_the_writer_would_refuse_fails_the_build_at_its_line(real_site: Path) -> None:
    """The preview builds in memory, so only the aliases' check keeps such a page out."""
    page = real_site / "content/politics/a.md"
    page.write_text(article("العنوان", 'aliases: ["/ok/\\\\..\\\\w/"]\n'), encoding="utf-8")
    outcome = site_builder(real_site)(ChangeSet(initial=True))
    assert outcome.snapshot is None
    assert [d.format() for d in outcome.diagnostics] == [
        "content/politics/a.md:6: alias '/ok/\\\\..\\\\w/' has a backslash or a control "
        "character, as written or encoded"
    ]


def test_search_index_follows_the_build_that_is_shown_first(real_site: Path) -> None:
    builder = site_builder(real_site)
    first = builder(ChangeSet(initial=True))
    assert first.snapshot is not None and first.followup is not None
    assert not any(p.startswith("pagefind/") for p in first.snapshot)  # not waited for
    bundle = first.followup.run()
    assert "pagefind/sitegen-search.js" in bundle
    page = real_site / "content/politics/a.md"
    page.write_text(article("عنوان بعد التعديل"), encoding="utf-8")
    edited = builder(ChangeSet(initial=False))
    assert edited.snapshot is not None and edited.followup is not None
    assert edited.followup.key != first.followup.key
    assert all(edited.snapshot[p] == data for p, data in bundle.items())  # the previous index
    config = real_site / "sitegen.yaml"
    edited.followup.run()
    config.write_text(CONFIG + "description: وصف الموقع\n", encoding="utf-8")
    restyled = builder(ChangeSet(initial=False))  # new HTML, the same articles' text
    assert restyled.snapshot is not None and restyled.followup is None
    assert "pagefind/sitegen-search.js" in restyled.snapshot


@pytest.mark.browser
def test_theme_css_edit_swaps_in_place_with_the_real_builder(
    real_site: Path, start_preview, page: Page
) -> None:
    """The stylesheet's content-hash name changes with its bytes, and so does every page's
    `<link>`: still a swap, with the scroll position, the form's state and the page kept."""
    theme = real_site / "themes/mine"
    (theme / "static/css").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: mine\nextends: digest\n", encoding="utf-8")
    css = theme / "static/css/digest.css"
    digest_css = (builtin_themes_dir() / "digest/static/css/digest.css").read_text("utf-8")
    css.write_text(digest_css, encoding="utf-8")
    (real_site / "sitegen.yaml").write_text(CONFIG + "theme: mine\n", encoding="utf-8")
    long_body = "\n\n".join(f"فقرة رقم {n} من نص الخبر الطويل." for n in range(150))
    source = real_site / "content/politics/a.md"
    source.write_text(article("العنوان الأول").replace("نص الخبر الأول.", long_body), "utf-8")
    preview = start_preview(site_builder(real_site), watched_site(real_site))
    page.goto(preview.url + quote(URL_PATH))
    page.wait_for_function("window.__sitegenConnected === true", timeout=5000)
    old_href = page.locator('link[rel="stylesheet"]').get_attribute("href")
    page.fill("#masthead-search", "بحث محفوظ")
    page.evaluate("window.scrollTo(0, 1200); window.__survivor = 42")

    write_atomically(css, digest_css + "\narticle h1 { color: rgb(1, 2, 3); }\n")
    expect(page.locator("article h1")).to_have_css("color", "rgb(1, 2, 3)", timeout=10000)
    assert page.evaluate("window.__survivor") == 42  # no reload
    assert page.input_value("#masthead-search") == "بحث محفوظ"
    assert page.evaluate("window.scrollY") == 1200
    links = page.locator('link[rel="stylesheet"]')
    expect(links).to_have_count(1)
    new_href = links.get_attribute("href")
    assert new_href is not None and old_href is not None
    assert new_href.split("?")[0] != old_href and "digest." in new_href
    assert preview.state.current.action.value == "css"


@pytest.mark.browser
def test_the_edited_page_reloads_once_its_quick_page_is_shown(
    real_site: Path, start_preview, page: Page
) -> None:
    """The quick page comes first; the whole build, which makes the same page, does not
    reload it again (it only lists the pages it changed)."""
    builder = site_builder(real_site)
    preview = start_preview(builder, watched_site(real_site), quick=builder.quick)
    page.goto(preview.url + quote(URL_PATH))
    page.wait_for_function("window.__sitegenConnected === true", timeout=5000)
    epoch = preview.state.current.epoch
    source = real_site / "content/politics/a.md"
    write_atomically(source, article("العنوان الأول").replace("نص الخبر الأول.", "نص جديد."))
    expect(page.locator("article")).to_contain_text("نص جديد", timeout=10000)
    page.evaluate("window.__survivor = 7")
    deadline = time.monotonic() + 20
    while preview.state.current.epoch < epoch + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert preview.state.current.epoch == epoch + 2  # the quick page, then the whole build
    assert preview.state.current.pages is not None
    assert "/" + URL_PATH not in preview.state.current.pages
    page.wait_for_timeout(500)
    assert page.evaluate("window.__survivor") == 7  # no second reload


def test_an_edited_english_article_is_served_updated(tmp_path: Path, start_preview) -> None:
    """On a bilingual site the quick page is only for the default language: an edit of an
    English article (published under /en/) is shown by the whole build that follows."""
    root = tmp_path / "bilingual"
    shutil.copytree(BILINGUAL, root, ignore=shutil.ignore_patterns(".sitegen"))
    builder = site_builder(root)
    preview = start_preview(builder, watched_site(root), quick=builder.quick)
    url = preview.url + "/en/2022/01/07/city-council-approves-plan-to-expand-public-parks/"
    with urllib.request.urlopen(url, timeout=5) as response:
        assert "five-year plan" in response.read().decode()
    politics = root / "content/politics"
    arabic = politics / "2022-01-07-مجلس-المدينة-يقر-خطة-لتوسيع-الحدائق-العامة.md"
    source = politics / "2022-01-07-city-council-approves-plan-to-expand-public-parks.md"
    assert builder.quick(ChangeSet((arabic,))) is not None  # an Arabic one is quick
    assert builder.quick(ChangeSet((source,))) is None  # an English one is not
    text = source.read_text(encoding="utf-8").replace("five-year plan", "ten-year plan")
    write_atomically(source, text)
    deadline, page = time.monotonic() + 20, ""
    while "ten-year plan" not in page and time.monotonic() < deadline:
        frame = preview.state.wait_after(preview.state.current.epoch, timeout=1)
        assert frame is None or not frame.failed, frame.diagnostics
        with urllib.request.urlopen(url, timeout=5) as response:
            page = response.read().decode()
    assert "ten-year plan" in page and "five-year plan" not in page
    assert 'lang="en" dir="ltr"' in page

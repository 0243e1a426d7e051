"""Search in a built site: the `search` option, the index of article pages, and the `/search/`
page in Debian's Chromium (type a query, see the expected article first)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.build.pipeline import build
from sitegen.build.search import partitions
from sitegen.build.write import write_site
from sitegen.core.config import Site, load_site
from tests.conftest import BROWSER_ARGS, MINIMAL_CONFIG, article, build_site, write_files
from tests.e2e.browser import CHROMIUM, serve
from tests.incremental.support import build_incrementally

TOPICS = "topics:\n  - name: سياسة\n    slug: politics\n  - name: صحة\n    slug: health\n"
ARTICLES = {
    "content/summit.md": article(
        "قمة باريس تبحث ملف الهجرة",
        "2022-01-07T09:30:00+03:00",
        "عقد المستشار الألماني والرئيس الفرنسي اجتماعاً مطولاً في قصر الإليزيه.",
        topic="سياسة",
    ),
    "content/hospital.md": article(
        "افتتاح مستشفى جديد للأطفال",
        "2021-12-03T10:00:00+03:00",
        "افتتح الوزير المستشفى الجديد، وأكد أن المبنى يضم ٣٠٠ سرير.",
        topic="صحة",
    ),
    "content/vaccines.md": article(
        "حملة تطعيم في المدارس",
        "2021-12-05T08:00:00+03:00",
        "بدأت وزارة الصحة حملة التطعيم، والوزير يتابع سيرها في المستشفيات.",
        topic="صحة",
    ),
}


def test_search_is_built_by_default_from_article_pages_only(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(ARTICLES, MINIMAL_CONFIG + TOPICS)
    assert site.config.search is True
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert "search/index.html" in result.files
    assert "pagefind/sitegen-search.js" in result.files
    # a small site is one partition, named after its first year
    assert "pagefind/2021/pagefind.js" in result.files
    assert any(path.startswith("pagefind/2021/fragment/") for path in result.files)
    assert 'data-bundle="/pagefind/"' in result.files["search/index.html"].decode()
    home = result.files["index.html"].decode()
    assert 'class="masthead-search"' in home
    assert 'action="/search/"' in home


def test_search_false_builds_no_index_and_no_search_page(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(ARTICLES, MINIMAL_CONFIG + "search: false\n")
    result = build_site(site)
    assert result.ok
    assert not any(path.startswith(("pagefind/", "search/")) for path in result.files)
    assert "masthead-search" not in result.files["index.html"].decode()


def test_search_must_be_a_boolean(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG + "search: yes please\n"})
    site, problems = load_site(root)
    assert site is None
    assert [p.format() for p in problems] == [
        "sitegen.yaml:5: 'search' must be true or false, got a string"
    ]


def test_an_unchanged_site_rebuilds_the_same_index(make_site: Callable[..., Site]) -> None:
    site = make_site(ARTICLES, MINIMAL_CONFIG + TOPICS)
    first = build_site(site)
    build_site(make_site(ARTICLES | {"content/more.md": article("خبر آخر")}))
    second = build_site(make_site(ARTICLES, MINIMAL_CONFIG + TOPICS))
    index = {p: d for p, d in first.files.items() if p.startswith("pagefind/")}
    assert index == {p: d for p, d in second.files.items() if p.startswith("pagefind/")}
    state = site.root / ".sitegen"  # nothing of the index kept: only the share cards' cache
    assert not [p for p in state.rglob("*") if p.is_file() and "cards" not in p.parts]


def test_a_site_without_articles_has_no_search(make_site: Callable[..., Site]) -> None:
    result = build_site(make_site({}))
    assert not any(path.startswith(("pagefind/", "search/")) for path in result.files)
    assert "masthead-search" not in result.files["index.html"].decode()


def test_a_broken_pagefind_is_a_diagnostic(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/only.md": article("خبر لم يفهرس بعد")})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    result = build(site)
    assert not result.ok
    assert result.files == {}
    assert [d.format() for d in result.diagnostics] == [
        "sitegen.yaml: cannot run /nonexistent/pagefind: No such file or directory"
        " (set 'search: false' to build without it)"
    ]


def test_concurrent_builds_with_search_all_succeed(tmp_path: Path) -> None:
    """Issue 18: with other builds running, Pagefind's bundle was read from disk before it
    was written (`internal error … JSONDecodeError` from an empty pagefind-entry.json). Six
    `sitegen build` processes at once on two cores: each must succeed with a whole index."""
    body = " ".join(["والرئيس يلتقي الوزراء في العاصمة لبحث خطة الاقتصاد الجديدة."] * 60)
    files = {
        f"content/a{n}.md": article(
            f"خبر رقم {n}", f"2021-{n % 12 + 1:02d}-05T09:00:00+03:00", body
        )
        for n in range(60)
    }
    roots = [
        write_files(tmp_path / f"site{i}", {"sitegen.yaml": MINIMAL_CONFIG, **files})
        for i in range(6)
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "sitegen", "build", "-q"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for root in roots
    ]
    outputs = [b.communicate(timeout=600)[0].decode() for b in builds]
    assert [b.returncode for b in builds] == [0] * 6, outputs
    for root in roots:
        (entry,) = (root / "output" / "pagefind").rglob("pagefind-entry.json")
        assert json.loads(entry.read_bytes())["languages"]["unknown"]["page_count"] == 60


def test_a_pagefind_that_answers_before_writing_its_files_does_not_break_the_build(
    tmp_path: Path,
) -> None:
    """Issue 18's race made certain: a Pagefind that says its files are written before it
    wrote them (tests/data/search/early_pagefind.py). The bundle must not be read from disk."""
    from pagefind.service import get_executable

    root = write_files(tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG, **ARTICLES})
    shim = tmp_path / "pagefind"
    script = Path(__file__).resolve().parents[1] / "data" / "search" / "early_pagefind.py"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} {script} "$@"\n', "utf-8")
    shim.chmod(0o755)
    done = build_with_pagefind(root, shim, REAL_PAGEFIND=str(get_executable()))
    assert done.returncode == 0, done.stderr
    entries = list((root / "output" / "pagefind").rglob("pagefind-entry.json"))
    assert entries and all(json.loads(e.read_bytes())["languages"] for e in entries)


def test_a_pagefind_that_dies_is_a_one_line_error_not_a_hang(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG, **ARTICLES})
    fake = (
        write_files(
            tmp_path / "bin",
            {"pagefind": "#!/bin/sh\necho 'thread panicked: disk full' >&2\nexit 101\n"},
        )
        / "pagefind"
    )
    fake.chmod(0o755)
    done = build_with_pagefind(root, fake)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "Pagefind" in line]
    assert line.startswith(f"sitegen.yaml: Pagefind ({fake}) exited with status 101")
    assert "thread panicked: disk full" in line


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_files(
        tmp_path_factory.mktemp("search") / "site",
        {"sitegen.yaml": MINIMAL_CONFIG + TOPICS, **ARTICLES},
    )
    site, problems = load_site(root)
    assert site is not None, problems
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    write_site(result.files, site.output_dir, site.state_dir)
    with serve(site.output_dir) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(playwright):  # type: ignore[no-untyped-def]
    """Debian's chromium from pytest-playwright's session-wide Playwright."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def tab(chromium, server: str):  # type: ignore[no-untyped-def]
    context = chromium.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    tab.seen_requests = requests
    yield page
    context.close()


browser_test = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


def wait_for_results(tab) -> None:  # type: ignore[no-untyped-def]
    tab.wait_for_function(
        "() => { const s = document.getElementById('search-status').textContent;"
        " return s && !s.endsWith('…') && !s.startsWith('اكتب'); }"
    )


@pytest.mark.browser
@browser_test
def test_masthead_query_shows_the_expected_article_first(tab, server: str) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(server + "/")
    tab.fill("#masthead-search", "رئيس")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search/?q=*")
    wait_for_results(tab)
    first = tab.locator(".search-result").first
    assert first.locator("h2 a").inner_text() == "قمة باريس تبحث ملف الهجرة"
    assert first.locator("h2 a").get_attribute("href") == "/2022/01/07/قمة-باريس-تبحث-ملف-الهجرة/"
    excerpt = first.locator(".excerpt").inner_html()
    assert "<mark>والرئيس</mark>" in excerpt
    assert "_-_" not in excerpt
    assert first.locator(".topic-link").inner_text() == "سياسة"
    assert first.locator("time").get_attribute("datetime") == "2022-01-07T00:00:00+03:00"
    assert tab.locator("#search-status").inner_text() == "نتيجة واحدة"
    assert all(url.startswith(server) for url in requested)


@pytest.mark.browser
@browser_test
def test_search_page_is_keyboard_driven_and_filters_by_topic_and_month(tab, server: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(server + "/search/")
    assert tab.evaluate("document.activeElement.id") == "search-query"
    tab.keyboard.type("الوزير")
    tab.keyboard.press("Enter")
    wait_for_results(tab)
    titles = tab.locator(".search-result h2 a").all_inner_texts()
    assert sorted(titles) == ["افتتاح مستشفى جديد للأطفال", "حملة تطعيم في المدارس"]
    tab.select_option("#search-topic", "سياسة")
    wait_for_results(tab)
    assert tab.locator(".search-result").count() == 0
    assert "«الوزير»" in tab.locator("#search-status").inner_text()
    tab.select_option("#search-topic", "صحة")
    tab.select_option("#search-from", "2021-12")
    tab.select_option("#search-to", "2021-12")
    wait_for_results(tab)
    assert tab.locator(".search-result").count() == 2
    assert "topic=" in tab.url and "from=2021-12" in tab.url
    tab.keyboard.press("Tab")
    tab.focus("#search-query")
    tab.keyboard.press("Escape")
    assert tab.locator("#search-query").input_value() == ""
    assert tab.locator(".search-result").count() == 0


def build_with_pagefind(root: Path, binary: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`sitegen build -q` in `root` in a subprocess, with `binary` as the Pagefind it runs."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "-q"],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            "PAGEFIND_BINARY_PATH": str(binary),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


# 14 articles that all name the minister, over two months: more than a page of results
# (each its own subject: near-identical articles would be merged as duplicates)
SUBJECTS = (
    "الكهرباء", "المياه", "الطرق", "المدارس", "الجامعات", "المستشفيات", "الموانئ",
    "المطارات", "الزراعة", "السياحة", "الإسكان", "النقل", "الاتصالات", "الرياضة",
)  # fmt: skip
MANY = {
    f"content/m{i:02d}.md": article(
        f"الوزير يتفقد مشاريع {subject}",
        f"{'2021-11' if i < 7 else '2021-12'}-{i + 1:02d}T09:00:00+03:00",
        f"زار الوزير مواقع {subject} في الصباح، وتحدث إلى العاملين في قطاع {subject} عن خططه.",
        topic="سياسة",
    )
    for i, subject in enumerate(SUBJECTS)
}


@pytest.fixture(scope="module")
def many_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_files(
        tmp_path_factory.mktemp("many") / "site", {"sitegen.yaml": MINIMAL_CONFIG + TOPICS, **MANY}
    )
    site, problems = load_site(root)
    assert site is not None, problems
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    write_site(result.files, site.output_dir, site.state_dir)
    with serve(site.output_dir) as url:
        yield url


@pytest.mark.browser
@browser_test
def test_result_data_is_fetched_for_the_results_shown_only(tab, many_server: str) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(many_server + "/search/")
    tab.wait_for_load_state("networkidle")
    tab.keyboard.type("الوزير")
    tab.keyboard.press("Enter")
    wait_for_results(tab)
    tab.wait_for_load_state("networkidle")
    fragments = [url for url in requested if url.endswith(".pf_fragment")]
    assert tab.locator(".search-result").count() == 10  # a page of results
    assert len(fragments) == 10
    tab.locator(".search-more button").click()
    tab.wait_for_function("document.querySelectorAll('.search-result').length === 14")
    tab.wait_for_load_state("networkidle")
    assert len([url for url in requested if url.endswith(".pf_fragment")]) == 14
    assert tab.evaluate("document.activeElement.closest('.search-result') !== null")


@pytest.mark.browser
@browser_test
def test_typing_fetches_the_words_index_before_any_search(tab, many_server: str) -> None:  # type: ignore[no-untyped-def]
    """While the reader types, the page fetches the index chunks of the words typed so far
    (the search, 200 ms after the last letter or on Enter, then finds them loaded). Escape
    right after typing clears the box before any search runs."""
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(many_server + "/search/")
    tab.wait_for_load_state("networkidle")
    assert not [url for url in requested if url.endswith(".pf_index")]
    tab.fill("#search-query", "الوزير")
    tab.keyboard.press("Escape")
    tab.wait_for_timeout(400)
    tab.wait_for_load_state("networkidle")
    assert tab.locator(".search-result").count() == 0
    assert [url for url in requested if url.endswith(".pf_index")]


# the searches the page asks of its search workers, in order: [method, text, search]
WATCH_SEARCHES = """() => {
  window.__searches = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && ['search', 'warmUp'].includes(message.method)) {
      window.__searches.push([message.method, message.args.text, message.args.search ?? null]);
    }
    return post.call(this, message, ...rest);
  };
}"""


@pytest.mark.browser
@browser_test
def test_typing_warms_pagefind_up_and_enter_shows_the_search_under_way(
    tab, many_server: str
) -> None:  # type: ignore[no-untyped-def]
    """While the reader types, the page runs one search of the first letters typed in each
    search worker (Pagefind's WebAssembly runs its first search several times slower than the
    next); Enter after the page's own search started (200 ms after the last letter) shows that
    search instead of asking the workers for the same one again."""
    tab.add_init_script(f"({WATCH_SEARCHES})()")
    tab.goto(many_server + "/search/")
    tab.wait_for_load_state("networkidle")
    tab.keyboard.type("الوزير", delay=60)
    key = tab.evaluate("import('/pagefind/sitegen-search.js').then((m) => m.queryText('الوزير'))")
    tab.wait_for_function(f"window.__searches.some(([, text]) => text === {key!r})")
    tab.keyboard.press("Enter")
    wait_for_results(tab)
    tab.wait_for_load_state("networkidle")
    searches = tab.evaluate("window.__searches")
    assert len({search for method, text, search in searches if text == key}) == 1
    assert searches[0][0] == "warmUp" and searches[0][1] != key  # from the third letter on
    assert tab.locator(".search-result").count() == 10


@pytest.fixture(scope="module")
def edited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of ARTICLES, one partition an article, after an edit of the summit's body
    built on the previous build (`sitegen.build.incremental.edits`: an `edits` partition)."""
    root = write_files(
        tmp_path_factory.mktemp("edited") / "site",
        {"sitegen.yaml": MINIMAL_CONFIG + TOPICS, **ARTICLES},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(partitions, "PARTITION_RECORDS", 1)
        build_incrementally(root)
        summit = root / "content" / "summit.md"
        text = summit.read_text("utf-8").replace("قصر الإليزيه", "مدينة ستراسبورغ بحضور الوزير")
        summit.write_text(text, "utf-8")
        build_incrementally(root)
    assert (root / "output" / "pagefind" / "edits" / "pagefind.js").exists()
    assert len(list((root / "output" / "pagefind").glob("*/pagefind.js"))) == 4
    with serve(root / "output") as url:
        yield url


def search_for(tab, server: str, query: str, extra: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """The titles the search page shows for `query` (`extra`: more of its URL's query)."""
    tab.goto(f"{server}/search/?q={query}{extra}")
    wait_for_results(tab)
    return tab.locator(".search-result h2 a").all_inner_texts()


@pytest.mark.browser
@browser_test
def test_an_edited_article_is_found_by_its_new_words_only_and_once(tab, edited_server: str) -> None:  # type: ignore[no-untyped-def]
    summit = "قمة باريس تبحث ملف الهجرة"
    assert search_for(tab, edited_server, "ستراسبورغ") == [summit]
    excerpt = tab.locator(".search-result .excerpt").first.inner_html()
    assert "<mark>ستراسبورغ</mark>" in excerpt
    assert search_for(tab, edited_server, "الإليزيه") == []
    assert search_for(tab, edited_server, "رئيس") == [summit]  # in both versions: shown once
    assert tab.locator("#search-status").inner_text() == "نتيجة واحدة"
    # hits of the `edits` partition and of two others, together
    assert sorted(search_for(tab, edited_server, "الوزير")) == sorted(
        [summit, "افتتاح مستشفى جديد للأطفال", "حملة تطعيم في المدارس"]
    )
    # a month filter searches the partitions of that month and the edits
    assert search_for(tab, edited_server, "ستراسبورغ", "&from=2022-01&to=2022-01") == [summit]
    assert search_for(tab, edited_server, "ستراسبورغ", "&from=2021-12&to=2021-12") == []

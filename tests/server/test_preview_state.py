"""PreviewState: whole-frame swaps, epochs, reload actions, waiting."""

from __future__ import annotations

import threading

from sitegen.core.diagnostics import error, warning
from sitegen.serve.state import PreviewState, ReloadAction, changed_paths

SITE = {"index.html": b"<p>1</p>", "css/site.css": b"a{}", "feed.xml": b"<feed/>"}
BROKEN = (error("content/a.md", 3, "bad YAML"),)


def test_changed_paths_covers_added_removed_and_modified() -> None:
    new = {"index.html": b"<p>2</p>", "css/site.css": b"a{}", "new.html": b""}
    assert changed_paths(SITE, new) == {"index.html", "new.html", "feed.xml"}


def test_first_publish_is_a_page_reload() -> None:
    state = PreviewState()
    frame = state.publish(SITE)
    assert frame is not None and frame.epoch == 1 and frame.action is ReloadAction.PAGE


def test_css_only_change_swaps_stylesheets() -> None:
    state = PreviewState()
    state.publish(SITE)
    frame = state.publish({**SITE, "css/site.css": b"a{color:red}"})
    assert frame is not None and frame.action is ReloadAction.CSS and frame.epoch == 2


OLD_CSS, NEW_CSS = "css/digest.0123456789.css", "css/digest.abcdef0123.css"


def themed(css: str, body: str = "<p>1</p>") -> dict[str, bytes]:
    """A site whose pages link its theme stylesheet under its content-hash name `css`."""
    page = f'<link rel="stylesheet" href="/news/{css}">{body}'.encode()
    return {"index.html": page, "a/index.html": page + b"<p>a</p>", css: b"h1{}"}


def test_a_renamed_theme_stylesheet_is_still_a_stylesheet_swap() -> None:
    state = PreviewState()
    state.publish(themed(OLD_CSS), "/news/")
    frame = state.publish({**themed(NEW_CSS), NEW_CSS: b"h1{color:red}"}, "/news/")
    assert frame is not None and frame.action is ReloadAction.CSS
    assert frame.stylesheets == {"/news/" + OLD_CSS: "/news/" + NEW_CSS}
    assert frame.changed == {"index.html", "a/index.html", OLD_CSS, NEW_CSS}


def test_a_renamed_stylesheet_with_another_change_in_a_page_reloads() -> None:
    state = PreviewState()
    state.publish(themed(OLD_CSS))
    frame = state.publish(themed(NEW_CSS, body="<p>2</p>"))
    assert frame is not None and frame.action is ReloadAction.PAGE


def test_a_removed_stylesheet_reloads() -> None:
    state = PreviewState()
    state.publish(themed(OLD_CSS))
    page = b"<p>1</p>"
    frame = state.publish({"index.html": page, "a/index.html": page + b"<p>a</p>"})
    assert frame is not None and frame.action is ReloadAction.PAGE


def test_html_change_reloads() -> None:
    state = PreviewState()
    state.publish(SITE)
    frame = state.publish({**SITE, "css/site.css": b"b{}", "index.html": b"<p>2</p>"})
    assert frame is not None and frame.action is ReloadAction.PAGE


def test_identical_build_publishes_nothing() -> None:
    state = PreviewState()
    state.publish(SITE)
    assert state.publish(dict(SITE)) is None
    assert state.current.epoch == 1


def test_failure_keeps_files_and_fix_reloads_even_for_css() -> None:
    state = PreviewState()
    state.publish(SITE)
    failed = state.fail(BROKEN)
    assert failed is not None and failed.failed and failed.files == SITE and failed.epoch == 2
    assert state.fail(BROKEN) is None  # the same failure again: no new epoch
    fixed = state.publish({**SITE, "css/site.css": b"b{}"})
    assert fixed is not None and not fixed.failed and fixed.action is ReloadAction.PAGE


def test_snapshot_is_copied_and_read_only() -> None:
    state = PreviewState()
    source = dict(SITE)
    state.publish(source)
    source["index.html"] = b"changed later"
    assert state.current.files["index.html"] == b"<p>1</p>"


def test_warnings_alone_are_not_a_failure() -> None:
    state = PreviewState()
    state.publish(SITE)
    frame = state.fail((warning("a.md", 1, "odd"),))
    assert frame is not None and not frame.failed


def test_action_since_skipped_epochs_is_a_reload() -> None:
    state = PreviewState()
    state.publish(SITE)
    state.publish({**SITE, "css/site.css": b"b{}"})
    frame = state.current
    assert frame.action_since(1) is ReloadAction.CSS
    assert frame.action_since(0) is ReloadAction.PAGE


def test_wait_after_wakes_on_publish_and_close() -> None:
    state = PreviewState()
    state.publish(SITE)
    assert state.wait_after(1, timeout=0.01) is None
    assert state.wait_after(0, timeout=0.01) is state.current
    results = []
    waiter = threading.Thread(target=lambda: results.append(state.wait_after(1, timeout=10)))
    waiter.start()
    state.publish({**SITE, "index.html": b"<p>3</p>"})
    waiter.join(5)
    assert results and results[0] is not None and results[0].epoch == 2
    closer = threading.Thread(target=lambda: results.append(state.wait_after(2, timeout=10)))
    closer.start()
    state.close()
    closer.join(5)
    assert not closer.is_alive() and results[1] is None


def test_moving_the_base_path_reloads_even_with_the_same_files() -> None:
    state = PreviewState()
    state.publish(SITE)
    frame = state.publish(SITE, "/news/")
    assert frame is not None and frame.base_path == "/news/" and frame.action is ReloadAction.PAGE
    failed = state.fail(BROKEN)
    assert failed is not None and failed.base_path == "/news/"


def test_amend_replaces_a_folder_silently_and_only_in_its_frame() -> None:
    state = PreviewState()
    frame = state.publish({**SITE, "pagefind/old.pf": b"1"})
    assert frame is not None
    assert state.amend(frame.epoch, "pagefind/", {"pagefind/new.pf": b"2"})
    now = state.current
    assert now.epoch == frame.epoch and now.action is frame.action
    assert dict(now.files) == {**SITE, "pagefind/new.pf": b"2"}
    assert state.wait_after(frame.epoch, timeout=0.01) is None  # no browser is woken
    later = state.publish({**SITE, "index.html": b"<p>2</p>"})
    assert later is not None
    assert not state.amend(frame.epoch, "pagefind/", {"pagefind/late.pf": b"3"})
    assert "pagefind/late.pf" not in state.current.files


class Pages(dict):
    """A site whose pages are counted as they are read (like `PlannedSite`)."""

    reads = 0

    def __getitem__(self, key: str) -> bytes:
        Pages.reads += 1
        return super().__getitem__(key)


def test_a_provisional_site_is_shown_only_first_and_replaced_whole() -> None:
    state = PreviewState()
    planned = Pages(SITE)
    frame = state.provisional(planned, "/news/")
    assert frame is not None and frame.provisional and frame.files is planned
    assert state.patch({"index.html": b"<p>quick</p>"}) is None
    Pages.reads = 0
    built = state.publish(SITE, "/news/")
    assert built is not None and built.epoch == 2 and not built.provisional
    assert built.action is ReloadAction.PAGE and built.changed == set(SITE)
    assert Pages.reads == 0  # its pages were not made just to be compared
    assert state.provisional(planned) is None  # a site was shown: too late


def test_a_failed_first_build_after_a_provisional_site_shows_no_site() -> None:
    state = PreviewState()
    state.provisional(Pages(SITE))
    frame = state.fail(BROKEN)
    assert frame is not None and frame.failed and not frame.files


def test_a_frame_changing_pages_and_feeds_lists_its_pages() -> None:
    state = PreviewState()
    state.publish({**SITE, "a/index.html": b"<p>a</p>"}, "/news/")
    frame = state.publish(
        {**SITE, "a/index.html": b"<p>b</p>", "feed.xml": b"<feed>2</feed>"}, "/news/"
    )
    assert frame is not None and frame.pages == ("/news/a/",)
    quick = state.patch({"index.html": b"<p>quick</p>"})
    assert quick is not None and quick.pages == ("/news/",)


def test_a_frame_changing_what_pages_show_lists_no_pages() -> None:
    state = PreviewState()
    state.publish(SITE)
    frame = state.publish({**SITE, "index.html": b"<p>2</p>", "img/logo.png": b"PNG"})
    assert frame is not None and frame.action is ReloadAction.PAGE and frame.pages is None


def test_the_frame_after_a_failure_lists_no_pages() -> None:
    state = PreviewState()
    state.publish(SITE)
    state.fail(BROKEN)
    fixed = state.publish({**SITE, "index.html": b"<p>fixed</p>"})
    assert fixed is not None and fixed.pages is None  # every page drops its overlay

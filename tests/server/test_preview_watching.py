"""The running preview with the real watchdog observer: a save on disk becomes a new frame."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from serve_support import PAGE, write_atomically


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_atomic_save_publishes_a_new_frame(preview, site_dir: Path) -> None:
    running = preview()
    assert "الخبر" in fetch(running.url + "a/")
    epoch = running.state.current.epoch
    write_atomically(site_dir / "content/a/index.html", PAGE.format(title="خبر جديد"))
    frame = running.state.wait_after(epoch, timeout=5)
    assert frame is not None and frame.changed == {"a/index.html"}
    assert "خبر جديد" in fetch(running.url + "a/")


def test_broken_then_fixed(preview, site_dir: Path) -> None:
    running = preview()
    page = site_dir / "content/index.html"
    page.write_text(PAGE.format(title="BROKEN"), encoding="utf-8")
    frame = running.state.wait_after(1, timeout=5)
    assert frame is not None and frame.failed
    assert [d.format() for d in frame.diagnostics] == [
        "content/index.html:3: broken marker",
        "content/index.html:5: broken marker",
    ]
    assert "content/index.html:3" in fetch(running.url)
    page.write_text(PAGE.format(title="سليم"), encoding="utf-8")
    frame = running.state.wait_after(frame.epoch, timeout=5)
    assert frame is not None and not frame.failed
    assert "sitegen-overlay" not in fetch(running.url)


def test_polling_observer_sees_saves_too(preview, site_dir: Path) -> None:
    running = preview(poll=True)
    write_atomically(site_dir / "static/site.css", "h1 { color: red; }\n")
    frame = running.state.wait_after(1, timeout=10)
    assert frame is not None and frame.changed == {"site.css"}
    assert frame.action == "css"


def test_deleting_a_page_removes_it(preview, site_dir: Path) -> None:
    running = preview()
    (site_dir / "content/a/index.html").unlink()
    frame = running.state.wait_after(1, timeout=5)
    assert frame is not None and "a/index.html" not in frame.files

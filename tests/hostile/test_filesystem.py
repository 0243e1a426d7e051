"""Filesystem safety: front matter cannot make the build read or write outside the site and
its output folder, dangerous `output` settings are refused, and writing never follows a
symlinked folder out of the output nor deletes files sitegen did not write."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitegen.build.write import MANIFEST, write_site
from sitegen.core.config import load_site
from tests.conftest import MINIMAL_CONFIG, article, build_site, write_files
from tests.image_factory import jpeg_with_metadata


def snapshot(folder: Path, skip: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under `folder` (not following symlinks), but those under `skip`."""
    found = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = Path(dirpath, name)
            if not any(path.is_relative_to(s) for s in skip) and not path.is_symlink():
                found[str(path)] = path.read_bytes()
    return found


HOSTILE_FRONT_MATTER = {
    "slug": ["'../../../escaped'", "/etc/passwd", "'..'", "'.'", "'..\\\\..\\\\win'"],
    "aliases": ["['../../../escaped/']", "['/../../escaped/']", "['/a/../../escaped.html']"],
    "image": ["../../../secret.jpg", "/../../secret.jpg", "file:///etc/passwd", "'..\\\\x.jpg'"],
    "url": ["/../../../escaped/"],
}
CASES = [(key, value) for key, values in HOSTILE_FRONT_MATTER.items() for value in values]


@pytest.mark.parametrize(("key", "value"), CASES)
def test_front_matter_cannot_write_or_read_outside(tmp_path: Path, key: str, value: str) -> None:
    (tmp_path / "secret.jpg").write_bytes(jpeg_with_metadata(400, 300))
    root = write_files(
        tmp_path / "deep" / "site",
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/2022/a.md": article("خبر", image_alt="صورة", **{key: value}),
        },
    )
    before = snapshot(tmp_path, skip=(root / "output", root / ".sitegen"))
    site, problems = load_site(root)
    assert site is not None, problems
    result = build_site(site)
    if result.ok:
        write_site(result.files, site.output_dir, site.state_dir)
    assert snapshot(tmp_path, skip=(root / "output", root / ".sitegen")) == before
    assert all(".." not in Path(name).parts for name in result.files)
    assert not [name for name in result.files if name.startswith("images/")]  # secret.jpg unread
    if key == "aliases" or (key == "image" and "\\" not in value):
        assert not result.ok
    elif key == "image":  # `..\x.jpg` names a file that is not there: a warning, nothing read
        assert any("not found" in d.message for d in result.diagnostics)


def test_an_image_symlinked_out_of_the_site_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(jpeg_with_metadata(400, 300))
    root = write_files(
        tmp_path / "site",
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/2022/a.md": article("خبر", image="pic.jpg", image_alt="x", body="![b](b.jpg)"),
        },
    )
    (root / "content/2022/pic.jpg").symlink_to(tmp_path / "secret.jpg")
    (root / "content/2022/b.jpg").symlink_to(tmp_path / "secret.jpg")
    site, _ = load_site(root)
    assert site is not None
    result = build_site(site)
    secret = tmp_path.resolve() / "secret.jpg"
    assert sorted(d.format() for d in result.diagnostics) == [
        f"content/2022/a.md:4: image 'pic.jpg': symlink to {secret}, outside the site; not read",
        f"content/2022/a.md:7: image 'b.jpg': symlink to {secret}, outside the site; not read",
    ]
    assert not [name for name in result.files if name.startswith("images/")]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (".", "must be a folder inside the site"),
        ("", "must be a folder inside the site"),
        ("content", "must not be inside content/"),
        ("content/out", "must not be inside content/"),
        ("static", "must not be inside static/"),
        ("themes/public", "must not be inside themes/"),
        (".sitegen", "must not be inside .sitegen/"),
        ("..", "must be a folder inside the site"),
        ("../public", "must be a folder inside the site"),
        ("out/../..", "must be a folder inside the site"),
        ("/tmp/public", "must be a folder inside the site"),
    ],
)
def test_dangerous_output_folders_are_refused(tmp_path: Path, output: str, message: str) -> None:
    root = write_files(
        tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG + f"output: '{output}'\n"}
    )
    site, problems = load_site(root)
    assert site is None
    assert any(message in p.message for p in problems), [p.format() for p in problems]


@pytest.mark.parametrize(
    ("link_to", "message"),
    [
        ("{site}", "the site folder itself"),
        ("{site}/content", "which overlaps content/"),
        ("{base}", "a folder outside the site"),
        ("{home}", "a folder outside the site"),
    ],
)
def test_an_output_symlink_to_a_dangerous_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link_to: str, message: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    root = write_files(tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG, "content/.keep": ""})
    target = link_to.format(site=root, base=tmp_path, home=home)
    (root / "output").symlink_to(target)
    site, problems = load_site(root)
    assert site is None
    assert [p.format() for p in problems] == [
        f"sitegen.yaml: 'output' 'output' leads to {Path(target).resolve()}, {message}"
    ]


def test_a_site_inside_home_may_not_send_output_to_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site is the home folder itself (sitegen.yaml in ~): its output may not be ~."""
    monkeypatch.setenv("HOME", str(tmp_path / "site" / "output"))
    root = write_files(tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG})
    site, problems = load_site(root)
    assert site is None
    assert "your home" in problems[0].message


def test_writing_never_follows_a_symlinked_folder_out_of_the_output(tmp_path: Path) -> None:
    out, state, elsewhere = tmp_path / "out", tmp_path / "state", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("mine")
    write_site({"2022/index.html": b"old"}, out, state)
    (out / "2022" / "index.html").unlink()
    (out / "2022").rmdir()
    (out / "2022").symlink_to(elsewhere)
    with pytest.raises(OSError, match="symlinked folder leads outside"):
        write_site({"2022/index.html": b"new"}, out, state)
    with pytest.raises(OSError, match="symlinked folder leads outside"):
        write_site({"other.html": b"x"}, out, state)  # would remove 2022/index.html
    assert (elsewhere / "index.html").read_text() == "mine"


def test_removal_touches_only_files_in_the_manifest(tmp_path: Path) -> None:
    out, state = tmp_path / "out", tmp_path / "state"
    out.mkdir()
    (tmp_path / "precious").write_text("keep")
    (out / "user.html").write_text("keep")
    write_site({"a.html": b"1"}, out, state)
    manifest = json.loads((state / MANIFEST).read_text())
    manifest["files"] += ["../precious", "/etc/hostname", "..\\precious"]
    (state / MANIFEST).write_text(json.dumps(manifest))
    report = write_site({"b.html": b"2"}, out, state)
    assert report.removed == 1 and not (out / "a.html").exists()
    assert (tmp_path / "precious").read_text() == (out / "user.html").read_text() == "keep"
    # A manifest written for another output folder removes nothing here.
    (out / "b.html").write_text("edited by hand")
    manifest = json.loads((state / MANIFEST).read_text())
    (state / MANIFEST).write_text(json.dumps({**manifest, "output": str(tmp_path / "x")}))
    assert write_site({"c.html": b"3"}, out, state).removed == 0
    assert (out / "b.html").read_text() == "edited by hand"

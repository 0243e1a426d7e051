"""The rsync publisher, to a local folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitegen.deploy.publisher import DeployError
from sitegen.deploy.rsync import RsyncPublisher, parse_itemized, unsafe_destination
from tests.unit.deploy.conftest import SITE_FILES, tree_of, write_files

needs_rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="needs rsync")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write_files(site / "output", SITE_FILES)
    return site


def publish(site: Path, destination: Path | str, *, dry_run: bool = False):
    return RsyncPublisher(str(destination), site).publish(site / "output", dry_run=dry_run)


@needs_rsync
def test_target_equals_the_output(built: Path, tmp_path: Path):
    result = publish(built, tmp_path / "www/news")
    assert tree_of(tmp_path / "www/news") == tree_of(built / "output")
    assert sorted(result.changes.added) == sorted(SITE_FILES)


@needs_rsync
def test_relative_destination_is_relative_to_the_site(built: Path, tmp_path: Path):
    publish(built, "../www")
    assert tree_of(tmp_path / "www") == tree_of(built / "output")


@needs_rsync
def test_delete_stays_inside_the_target(built: Path, tmp_path: Path):
    target = tmp_path / "www/news"
    write_files(target, {"stale.html": "old", "old/قديم/index.html": "old"})
    write_files(tmp_path / "www", {"neighbour/index.html": "keep", "keep.txt": "keep"})

    result = publish(built, target)

    assert tree_of(target) == tree_of(built / "output")
    assert tree_of(tmp_path / "www/neighbour") == {"index.html": b"keep"}
    assert (tmp_path / "www/keep.txt").read_text() == "keep"
    assert sorted(result.changes.deleted) == ["old/قديم/index.html", "stale.html"]


@needs_rsync
def test_unchanged_bytes_are_not_sent_even_with_new_times(built: Path, tmp_path: Path):
    publish(built, tmp_path / "www")
    for path in (built / "output").rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # a clean rebuild rewrites every file

    result = publish(built, tmp_path / "www")

    assert not result.changes
    assert result.message() == f"nothing to deploy: {tmp_path / 'www'} is up to date"


@needs_rsync
def test_dry_run_lists_changes_and_changes_nothing(built: Path, tmp_path: Path):
    target = tmp_path / "www"
    publish(built, target)
    write_files(target, {"stale.html": "old"})
    before = tree_of(target)
    write_files(built / "output", {"index.html": "new", "2024/05/02/ثاني/index.html": "two"})

    result = publish(built, target, dry_run=True)

    assert tree_of(target) == before
    assert result.dry_run
    assert result.changes.added == ("2024/05/02/ثاني/index.html",)
    assert result.changes.changed == ("index.html",)
    assert result.changes.deleted == ("stale.html",)


@needs_rsync
def test_dry_run_to_a_new_folder_creates_nothing(built: Path, tmp_path: Path):
    result = publish(built, tmp_path / "www/news", dry_run=True)
    assert not (tmp_path / "www").exists()
    assert len(result.changes.added) == len(SITE_FILES)


@needs_rsync
def test_unreachable_ssh_host_is_one_clear_line(built: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RSYNC_RSH", "false")  # a remote shell that cannot connect
    with pytest.raises(DeployError) as caught:
        publish(built, "deploy@news.example:/var/www/news")
    text = str(caught.value)
    assert text.startswith("rsync to deploy@news.example:/var/www/news failed: ")
    assert "\n" not in text


def test_missing_rsync_is_one_clear_line(built: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(built))
    with pytest.raises(DeployError, match=r"^rsync is not installed or not on PATH; install"):
        RsyncPublisher("/tmp/x/y", built).check()


@pytest.mark.parametrize(
    ("destination", "reason"),
    [
        ("", "empty"),
        ("  ", "empty"),
        ("/", "top-level"),
        ("/srv", "top-level"),
        ("~", "home"),
        ("{home}", "home"),
        ("{home}/..", "holds one"),
        ("/home/someone", "home"),
        ("{site}", "overlaps the site"),
        (".", "overlaps the site"),
        ("..", "overlaps the site"),
        ("{site}/content", "overlaps the site"),
        ("output", "overlaps the site"),
        ("host:", "remote home"),
        ("user@host:.", "remote home"),
        ("host:~", "remote home"),
        ("host:~/", "remote home"),
        ("host:/", "top-level"),
        ("host:/var", "top-level"),
        ("host:/home/bob", "home"),
        ("host:www/../..", "'..'"),
        ("host::module", "daemon"),
        ("rsync://host/module", "daemon"),
    ],
)
def test_dangerous_destinations_are_refused(destination: str, reason: str, tmp_path: Path):
    site = tmp_path / "deep/site"
    site.mkdir(parents=True)
    home = tmp_path / "home/me"
    destination = destination.format(home=home, site=site)
    if destination.startswith("~"):
        destination = str(home) + destination[1:]
    problem = unsafe_destination(destination, site, home)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "destination",
    ["{tmp}/www/news", "../www", "host:www", "host:~/www", "me@host:/var/www/news", "{home}/www"],
)
def test_ordinary_destinations_are_accepted(destination: str, tmp_path: Path):
    site = tmp_path / "deep/site"
    home = tmp_path / "home/me"
    destination = destination.format(tmp=tmp_path, home=home)
    assert unsafe_destination(destination, site, home) is None


def test_publish_refuses_unsafe_destinations_itself(built: Path):
    with pytest.raises(DeployError, match="refusing to deploy to '/': it is the root"):
        RsyncPublisher("/", built).publish(built / "output", dry_run=True)


def test_parse_itemized_keeps_files_only():
    output = "\n".join(
        [
            "*deleting   old/قديم/index.html",
            "*deleting   old/قديم/",
            "cd+++++++++ أخبار/",
            ">f+++++++++ أخبار/index.html",
            ">fcs....... index.html",
            ".f...p..... perms-only.html",
            ".d..t...... ./",
            "<f+++++++++ sent.html",
        ]
    )
    changes = parse_itemized(output)
    assert changes.added == ("أخبار/index.html", "sent.html")
    assert changes.changed == ("index.html",)
    assert changes.deleted == ("old/قديم/index.html",)

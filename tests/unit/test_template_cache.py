"""Compiled templates kept in the user's cache folder (sitegen.build.template_cache)."""

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from sitegen.build import template_cache
from sitegen.build.template_cache import attach_template_cache, cache_home
from sitegen.build.templating import make_environment
from sitegen.build.theme import load_theme
from sitegen.core.config import Site
from sitegen.core.localize import Localizer
from tests.conftest import article, build_site

TEMPLATES = {"page.html": "{% macro m(x) %}<b>{{ x | shout }}</b>{% endmacro %}{{ m(name) }}"}


def environment(home: Path, templates: dict[str, str] = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    env.filters["shout"] = str.upper
    attach_template_cache(env, home)
    return env


def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def test_a_second_environment_loads_the_compiled_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert environment(tmp_path).get_template("page.html").render(name="a") == "<b>A</b>"
    compiled = compiles(monkeypatch)
    assert environment(tmp_path).get_template("page.html").render(name="b") == "<b>B</b>"
    assert compiled == []
    assert len(list((tmp_path / "templates").iterdir())) == 1


def test_an_edited_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment(tmp_path).get_template("page.html")
    compiled = compiles(monkeypatch)
    edited = environment(tmp_path, {"page.html": "<i>{{ name }}</i>"})
    assert edited.get_template("page.html").render(name="a") == "<i>a</i>"
    assert compiled == ["page.html"]


def test_settings_the_code_depends_on_have_their_own_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja compiles a filter's calling convention and the autoescape setting into the
    code: an environment that differs in them never loads the other's code."""
    environment(tmp_path).get_template("page.html")
    compiled = compiles(monkeypatch)
    passing = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
    passing.filters["shout"] = jinja2.pass_context(lambda context, value: f"{value}!")
    attach_template_cache(passing, tmp_path)
    assert passing.get_template("page.html").render(name="a") == "<b>a!</b>"
    plain = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=False)
    plain.filters["shout"] = str.upper
    attach_template_cache(plain, tmp_path)
    assert plain.get_template("page.html").render(name="<a>") == "<b><A></b>"
    assert compiled == ["page.html", "page.html"]
    assert len(list((tmp_path / "templates").iterdir())) == 3


def test_a_damaged_entry_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    environment(tmp_path).get_template("page.html")
    (entry,) = (tmp_path / "templates").iterdir()
    entry.write_bytes(entry.read_bytes()[:40])
    compiled = compiles(monkeypatch)
    assert environment(tmp_path).get_template("page.html").render(name="c") == "<b>C</b>"
    assert compiled == ["page.html"]


def test_a_cache_folder_that_cannot_be_made_or_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    env = environment(blocked)
    assert env.bytecode_cache is None
    assert env.get_template("page.html").render(name="d") == "<b>D</b>"
    # a folder gone once the cache is attached: writing the entry fails (also as root,
    # whom a read-only folder would not stop)
    gone = environment(tmp_path / "gone")
    assert isinstance(gone.bytecode_cache, template_cache.TemplateCache)
    (tmp_path / "gone" / "templates").rmdir()
    assert gone.get_template("page.html").render(name="e") == "<b>E</b>"
    gone.bytecode_cache.note_passed("a check", "facts")
    assert not (tmp_path / "gone" / "templates").exists()


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache_home() == Path("/somewhere/cache/sitegen")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as XDG says
    monkeypatch.setenv("HOME", "/home/reader")
    assert cache_home() == Path("/home/reader/.cache/sitegen")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_home() == Path("/home/reader/.cache/sitegen")


def test_without_an_absolute_cache_folder_templates_are_compiled_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No home and no XDG_CACHE_HOME: `~` stays `~`, which must not become a folder of the
    current one (perhaps a project's, where nothing may run as code)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(template_cache.os.path, "expanduser", lambda path: path)
    assert cache_home() is None
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True)
    env.filters["shout"] = str.upper
    attach_template_cache(env)
    assert env.bytecode_cache is None
    assert env.get_template("page.html").render(name="f") == "<b>F</b>"
    assert list(tmp_path.iterdir()) == []


def test_a_second_build_compiles_no_template_and_writes_nothing_in_the_project(
    make_site: Callable[..., Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    site = make_site({"content/a.md": article("خبر")})
    first = build_site(site)
    compiled = compiles(monkeypatch)
    second = build_site(site)
    assert compiled == []
    assert second.files.keys() == first.files.keys()
    assert all(second.files[p] == first.files[p] for p in first.files)
    assert list((tmp_path / "cache" / "sitegen" / template_cache.FOLDER).iterdir())
    assert not [p for p in site.root.rglob("*.jinja")]


def test_editions_sharing_compiled_code_show_their_own_digits_and_names(
    make_site: Callable[..., Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja computes a filter of constants while compiling, unless the filter takes the
    context: sitegen's localized filters do, so the code one language compiled shows the
    other's own digits and month names."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    site = make_site({"themes/t/templates/x.html": "{{ 2024 | number }} {{ 5 | month_name }}"})
    theme, _ = load_theme("t", site.root / "themes", site.root)
    assert theme is not None
    shown = {}
    for language, digits in (("ar", "arabic"), ("en", "latin")):
        localizer = Localizer(language, site.config.locale, digits)
        shown[language] = make_environment(theme, localizer, language).get_template("x.html")
    assert shown["ar"].render() == "٢٬٠٢٤ مايو"
    assert shown["en"].render() == "2,024 May"

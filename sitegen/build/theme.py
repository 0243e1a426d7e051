"""Themes: `theme.yaml` (`extends:`), `templates/`, `static/`, `locale/<lang>/LC_MESSAGES/`.

`load_theme` reads a theme and its ancestors once into memory. A child template overrides
its parent's by name; the parent's stays reachable as `@<parent>/<name>`. Gettext catalogs
(`.po`) are compiled with Babel at load time. Rendering never reads the disk.
"""

from __future__ import annotations

import gettext
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from sitegen.build.load import StaticFile, discover_static, shown_path
from sitegen.core.card_settings import COLOUR_KEYS, THEME_CARD_KEYS, THEME_FILE_KEYS, colour_problem
from sitegen.core.config import CONFIG_FILE, STATIC_FOLDER, THEMES_FOLDER
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.languages import locale_fallbacks
from sitegen.core.text import is_safe_segment
from sitegen.core.yamlload import YamlLoader

# A theme's layout: its metadata, its templates, its static files (as a site's), its catalogs.
THEME_FILE = "theme.yaml"
TEMPLATES_FOLDER = "templates"
LOCALE_FOLDER = "locale"
_THEME_KEYS = {"name", "extends", "description", "license", "author", "card"}


def builtin_themes_dir() -> Path:
    """Themes shipped with sitegen: inside the package when installed, `themes/` in a checkout."""
    package = Path(__file__).resolve().parents[1]  # sitegen/
    installed = package / THEMES_FOLDER
    return installed if installed.is_dir() else package.parent / THEMES_FOLDER


@dataclass(frozen=True)
class ThemeLayer:
    """One theme of an inheritance chain, read into memory."""

    name: str
    folder: Path
    templates: dict[str, tuple[str, str]]  # name → (source, shown path)
    static: tuple[StaticFile, ...]
    catalogs: dict[str, bytes]  # language → compiled .mo bytes
    card: dict[str, str | bytes] = field(default_factory=dict)  # colours; files' bytes


@dataclass(frozen=True)
class Theme:
    """A theme and its ancestors, child first."""

    layers: tuple[ThemeLayer, ...]

    @property
    def name(self) -> str:
        return self.layers[0].name

    def template_source(self, name: str) -> tuple[str, str] | None:
        """(source, shown path) for `name` or `@layer/name`; the child wins."""
        if name.startswith("@") and "/" in name:
            wanted, _, rest = name[1:].partition("/")
            for layer in self.layers:
                if layer.name == wanted:
                    return layer.templates.get(rest)
            return None
        for layer in self.layers:
            if name in layer.templates:
                return layer.templates[name]
        return None

    def template_files(self) -> set[str]:
        """Shown paths of every template file of the chain."""
        return {shown for layer in self.layers for _, shown in layer.templates.values()}

    def static_files(self) -> tuple[StaticFile, ...]:
        """Static files of the chain; a child's file replaces its parent's of the same path."""
        merged: dict[str, StaticFile] = {}
        for layer in reversed(self.layers):
            for file in layer.static:
                merged[file.url_path] = file
        return tuple(merged[k] for k in sorted(merged))

    def translations(self, language: str) -> gettext.NullTranslations:
        """Gettext catalog for a language (`ar-EG` falls back to `ar`), child over parent."""
        tags = locale_fallbacks(language)
        chain: gettext.NullTranslations | None = None
        for layer in reversed(self.layers):
            data = next((layer.catalogs[t] for t in tags if t in layer.catalogs), None)
            if data is None:
                continue
            catalog = gettext.GNUTranslations(io.BytesIO(data))
            if chain is not None:
                catalog.add_fallback(chain)
            chain = catalog
        return chain or gettext.NullTranslations()

    def card(self) -> dict[str, str | bytes]:
        """The chain's share-card settings (`card:` in theme.yaml), key by key, child first:
        colours as `#rrggbb`, `font`, `bold_font` and `logo` as the files' bytes."""
        merged: dict[str, str | bytes] = {}
        for layer in reversed(self.layers):
            merged.update(layer.card)
        return merged

    def digest(self) -> str:
        """A hash of every template, catalog, static and share-card file of the chain."""
        h = hashlib.sha256()
        for layer in self.layers:
            for key in sorted(layer.card):
                value = layer.card[key]
                h.update(key.encode() + hashlib.sha256(_bytes(value)).digest())
            for name in sorted(layer.templates):
                h.update(f"{layer.name}/{name}\0".encode() + layer.templates[name][0].encode())
            for lang in sorted(layer.catalogs):
                h.update(lang.encode() + layer.catalogs[lang])
            for file in layer.static:
                h.update(file.url_path.encode() + hashlib.sha256(file.data).digest())
        return h.hexdigest()


def builtin_card() -> dict[str, str | bytes]:
    """The built-in `digest` theme's share-card settings: what every theme starts from."""
    folder = builtin_themes_dir() / "digest"
    meta = yaml.load((folder / THEME_FILE).read_text(encoding="utf-8"), Loader=YamlLoader)
    return _read_card(meta.get("card"), folder, THEME_FILE)[0]


def find_theme(name: str, site_themes: Path) -> Path | None:
    """A theme folder: the site's own `themes/<name>` first, then the built-in one."""
    for base in (site_themes, builtin_themes_dir()):
        folder = base / name
        if (folder / THEME_FILE).is_file() or (folder / TEMPLATES_FOLDER).is_dir():
            return folder
    return None


def load_theme(name: str, site_themes: Path, root: Path) -> tuple[Theme | None, list[Diagnostic]]:
    """Read a theme and every theme it extends."""
    layers: list[ThemeLayer] = []
    problems: list[Diagnostic] = []
    seen: list[str] = []
    wanted: str | None = name
    origin = (CONFIG_FILE, None)
    while wanted is not None:
        if wanted in seen:
            chain = " → ".join([*seen, wanted])
            return None, [error(*origin, f"theme inheritance cycle: {chain}")]
        seen.append(wanted)
        folder = find_theme(wanted, site_themes)
        if folder is None:
            return None, [
                error(*origin, f"theme {wanted!r} not found in {THEMES_FOLDER}/ or built-ins")
            ]
        layer, parent, found = _read_layer(wanted, folder, root)
        problems.extend(found)
        if layer is None:
            return None, problems
        layers.append(layer)
        origin = (shown_path(folder / THEME_FILE, root), None)
        wanted = parent
    return Theme(tuple(layers)), problems


def _read_layer(
    name: str, folder: Path, root: Path
) -> tuple[ThemeLayer | None, str | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    parent: str | None = None
    card: dict[str, str | bytes] = {}  # theme.yaml is optional
    meta_path = folder / THEME_FILE
    if meta_path.is_file():
        shown = shown_path(meta_path, root)
        try:
            meta = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=YamlLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            return None, None, [error(shown, None, f"cannot read theme file: {exc}")]
        if not isinstance(meta, dict):
            return None, None, [error(shown, 1, "theme.yaml must be a mapping")]
        for key in sorted(set(meta) - _THEME_KEYS):
            problems.append(error(shown, None, f"unknown key {key!r} in theme.yaml"))
        card, found = _read_card(meta.get("card"), folder, shown)
        problems.extend(found)
        parent = meta.get("extends")
        if parent is not None and not (isinstance(parent, str) and is_safe_segment(parent)):
            return None, None, [error(shown, None, "'extends' must be a theme name")]
    templates: dict[str, tuple[str, str]] = {}
    template_dir = folder / TEMPLATES_FOLDER
    if template_dir.is_dir():
        for path in sorted(template_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                shown = shown_path(path, root)
                try:
                    source = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    problems.append(error(shown, None, f"cannot read template: {exc}"))
                    continue
                templates[path.relative_to(template_dir).as_posix()] = (source, shown)
    static, found = discover_static(folder / STATIC_FOLDER, root)
    problems.extend(found)
    catalogs, found = _compile_catalogs(folder / LOCALE_FOLDER, root)
    problems.extend(found)
    return ThemeLayer(name, folder, templates, static, catalogs, card), parent, problems


def _read_card(
    section: object, folder: Path, shown: str
) -> tuple[dict[str, str | bytes], list[Diagnostic]]:
    """A theme's `card:` section: colours checked, files (relative to the theme) read."""
    if section is None:
        return {}, []
    if not isinstance(section, dict):
        return {}, [error(shown, None, "'card' in theme.yaml must be a mapping")]
    card: dict[str, str | bytes] = {}
    problems = []
    for key, value in section.items():
        if key not in THEME_CARD_KEYS:
            hint = "valid keys: " + ", ".join(THEME_CARD_KEYS)
            problems.append(error(shown, None, f"unknown key 'card.{key}' in theme.yaml", hint))
        elif key in COLOUR_KEYS and colour_problem(value):
            message = f"'card.{key}' must be a colour such as #a11d1d, got {value!r}"
            problems.append(error(shown, None, message))
        elif key in COLOUR_KEYS:
            card[key] = value
        elif key in THEME_FILE_KEYS:
            path = folder / str(value)
            if not (isinstance(value, str) and path.resolve().is_relative_to(folder.resolve())):
                message = f"'card.{key}' must be a file inside the theme, got {value!r}"
                problems.append(error(shown, None, message))
                continue
            try:
                card[key] = path.read_bytes()
            except OSError as exc:
                message = f"'card.{key}': cannot read {value}: {exc.strerror or exc}"
                problems.append(error(shown, None, message))
    return card, problems


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _compile_catalogs(folder: Path, root: Path) -> tuple[dict[str, bytes], list[Diagnostic]]:
    catalogs: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return catalogs, problems
    for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        language = po.parent.parent.name
        shown = shown_path(po, root)
        try:
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language, abort_invalid=True)
        except (OSError, PoFileError, ValueError, LookupError) as exc:
            problems.append(error(shown, getattr(exc, "lineno", None), f"invalid catalog: {exc}"))
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        catalogs[language] = buffer.getvalue()
    return catalogs, problems

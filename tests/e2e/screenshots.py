"""Screenshots of the sample site's home, day, topic and article pages at 360 and 1280 px,
plus two in dark mode, of the Persian golden site's article (`fa-article-*.png`), of the
bilingual golden site's English home and article (`en-home-*.png`, `en-article-*.png`), and of a
day's email at 360 and 600 px (the whole email).

Run `scripts/screenshots` (or `python -m tests.e2e.screenshots [FOLDER]`); the PNGs go to
docs/screenshots/ by default, reduced to a 256-colour palette to keep the repository small.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from sitegen.build.pipeline import BuildOptions, build
from sitegen.core.config import load_site
from tests.conftest import BROWSER_ARGS, FIXED_NOW
from tests.e2e.browser import (
    BILINGUAL_SITE,
    ENGLISH_PAGES,
    PERSIAN_PAGES,
    PERSIAN_SITE,
    REPO,
    SAMPLE_PAGES,
    build_to,
    chromium_path,
    serve,
)

WIDTHS = {360: 780, 1280: 900}  # viewport width → height shown
COLOR_SCHEMES = ("light", "dark")
DARK_SHOTS = {("home", 360), ("article", 1280)}  # dark mode: two examples are enough
# (site root, its pages, the prefix of their file names)
SITES = (
    (REPO, SAMPLE_PAGES, ""),
    (PERSIAN_SITE, PERSIAN_PAGES, "fa-"),
    (BILINGUAL_SITE, ENGLISH_PAGES, "en-"),
)
EMAIL_WIDTHS = (360, 600)  # a phone, and the email's frame
EMAIL_FILE = SAMPLE_PAGES["day"].strip("/") + "/email.html"


def shrink_png(data: bytes) -> bytes:
    """A palette PNG (256 colours, optimised): a fraction of the size, text stays crisp."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def take_screenshots(folder: Path) -> list[Path]:
    """Build and serve each site, then save one PNG per page and width (and the dark ones,
    and the email's)."""
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    for root, pages, prefix in SITES:
        with tempfile.TemporaryDirectory() as tmp:
            output = build_to(root, Path(tmp), BuildOptions(now=FIXED_NOW))
            with serve(output) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
                for scheme in COLOR_SCHEMES if not prefix else ("light",):
                    for width, height in WIDTHS.items():
                        context = browser.new_context(
                            viewport={"width": width, "height": height}, color_scheme=scheme
                        )
                        page = context.new_page()
                        for name, path in pages.items():
                            if scheme == "dark" and (name, width) not in DARK_SHOTS:
                                continue
                            page.goto(base + path)
                            suffix = "" if scheme == "light" else "-dark"
                            target = folder / f"{prefix}{name}-{width}{suffix}.png"
                            target.write_bytes(shrink_png(page.screenshot()))
                            saved.append(target)
                        context.close()
                if not prefix:  # the sample site: its day's email too
                    saved += email_screenshots(browser, folder)
                browser.close()
    return saved


def email_screenshots(browser: Browser, folder: Path) -> list[Path]:
    """The sample day's email at each of `EMAIL_WIDTHS`, whole."""
    email, saved = sample_email(), []
    for width in EMAIL_WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.set_content(email)
        target = folder / f"email-{width}.png"
        target.write_bytes(shrink_png(page.screenshot(full_page=True)))
        saved.append(target)
        page.close()
    return saved


def sample_email() -> str:
    """The sample day's email, built with the site's own (absolute) `base_url`: a site served
    from `/` has no emails."""
    site, problems = load_site(REPO)
    assert site is not None, [p.format() for p in problems]
    return build(site, BuildOptions(now=FIXED_NOW)).files[EMAIL_FILE].decode()


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    for path in take_screenshots(folder):
        print(
            f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}", path.stat().st_size
        )


if __name__ == "__main__":
    main()

"""SVG images and images whose file is missing, through whole builds (issue 19)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sitegen.build.result import BuildResult
from sitegen.core.config import Site
from tests.conftest import MINIMAL_CONFIG, article, build_site

REPO = Path(__file__).resolve().parents[2]
DIAGRAM = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60" onload="alert(1)">'
    '<script>alert(2)</script><rect width="120" height="60" fill="#0a5"/></svg>'
)


def page(result: BuildResult, suffix: str) -> str:
    (path,) = [p for p in result.files if p.endswith(suffix)]
    return result.files[path].decode()


def test_svg_lead_and_body_images_are_published_sanitized(make_site: Callable[..., Site]) -> None:
    files = {
        "content/2022/01/07/diagram.svg": DIAGRAM,
        "content/2022/01/07/a.md": article(
            "رسم", image="diagram.svg", image_alt="رسم بياني", body="نص\n\n![مخطط](diagram.svg)\n"
        ),
    }
    result = build_site(make_site(files))
    assert result.ok, [d.format() for d in result.diagnostics]
    (svg_path,) = [p for p in result.files if p.endswith(".svg")]
    published = result.files[svg_path].decode()
    assert "<rect" in published and "alert" not in published
    html = page(result, "/رسم/index.html")
    assert html.count(f'src="/{svg_path}"') == 2
    assert 'width="120" height="60"' in html
    shared = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    assert shared and shared.group(1).endswith("/card.png")  # not the SVG: its share card


def test_a_missing_image_is_a_warning_and_shows_its_alt_text(
    make_site: Callable[..., Site],
) -> None:
    files = {"content/a.md": article("أ", body="نص\n\n![صورة الحدث](gone.png)\n")}
    result = build_site(make_site(files))
    assert result.ok
    assert [d.format() for d in result.diagnostics] == [
        "content/a.md:7: warning: image 'gone.png' not found (looked for content/gone.png,"
        " static/gone.png)"
    ]
    html = page(result, "/أ/index.html")
    assert '<span class="image-missing">صورة الحدث</span>' in html
    assert "gone.png" not in html


def test_strict_builds_refuse_a_missing_image(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "sitegen.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (tmp_path / "content" / "a.md").write_text(
        article("أ", body="نص\n\n![صورة](gone.png)\n"), encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--strict", "-q", "-s", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 1
    assert "content/a.md:7: warning: image 'gone.png' not found" in run.stderr
    assert not (tmp_path / "output").exists()

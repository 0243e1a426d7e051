"""The build a deploy runs: from scratch, strict, written only when it is spotless."""

from __future__ import annotations

from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.publish import write_build
from sitegen.build.routes import Routes
from sitegen.core.config import Site
from sitegen.deploy.run import BuildOutcome


def clean_build(site: Site) -> BuildOutcome:
    """Build `site`; when nothing at all was reported, empty the output folder and write the
    site into it. With any diagnostic the output folder is left as it was."""
    result = build(site, BuildOptions())
    if write_build(site, result, strict=True, fresh=True) is None:
        return BuildOutcome(site.output_dir, result.diagnostics)
    base = len(site.config.base_path)
    pages = tuple(Routes.output_file(old[base:]) for old, _ in result.aliases)
    return BuildOutcome(site.output_dir, (), result.assets, result.aliases, pages)

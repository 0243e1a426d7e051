"""The build a deploy runs: from scratch, strict, written only when it is spotless."""

from __future__ import annotations

import shutil

from sitegen.config import Site
from sitegen.deploy.run import BuildOutcome
from sitegen.pipeline import BuildOptions, build
from sitegen.routes import Routes
from sitegen.write import write_site


def clean_build(site: Site) -> BuildOutcome:
    """Build `site`; when nothing at all was reported, empty the output folder and write the
    site into it. With any diagnostic the output folder is left as it was."""
    result = build(site, BuildOptions())
    if result.diagnostics:
        return BuildOutcome(site.output_dir, result.diagnostics)
    shutil.rmtree(site.output_dir, ignore_errors=True)
    write_site(result.files, site.output_dir, site.state_dir)
    base = len(site.config.base_path)
    pages = tuple(Routes.output_file(old[base:]) for old, _ in result.aliases)
    return BuildOutcome(site.output_dir, (), result.assets, result.aliases, pages)

"""Styles of an HTML email moved into `style` attributes, where every mail client reads them.

css-inline applies each rule of the email's `<style>` blocks to the elements it selects and
drops the blocks, but for a block marked `data-css-inline="keep"`, which stays where it is: the
theme's media queries (phones) and dark mode, which no attribute can hold. Nothing is fetched:
an email links no stylesheet.
"""

from __future__ import annotations

import css_inline

_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)


def inline_styles(html: str) -> str:
    """The document with its styles inlined."""
    return _INLINER.inline(html)

"""SVG images, published as sanitized copies. Pure: no disk access.

An SVG file is a document that can run scripts and fetch other files, so only its drawing is
kept: elements of an allow-list (shapes, text, paint servers, filters, `use` of its own parts);
no `script`, `foreignObject`, animation (`set`/`animate*` can rewrite links), event handler
attributes (`on…`), links or `url()` references other than to the file's own `#ids`, raster
`image`s other than embedded `data:` PNG/JPEG/GIF/WebP, or elements and attributes of other
XML namespaces (editor metadata). A DTD or entity declaration refuses the file (defusedxml),
and so does nesting deeper than `MAX_DEPTH`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sitegen.build.images.errors import ImageError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MEDIA_TYPE = "image/svg+xml"
MAX_DEPTH = 100
DEFAULT_SIZE = (300, 150)  # what browsers draw for an SVG that states no size

ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "title",
        "desc",
        "switch",
        "a",
        "style",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "image",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feConvolveMatrix",
        "feDiffuseLighting",
        "feDisplacementMap",
        "feDistantLight",
        "feDropShadow",
        "feFlood",
        "feFuncA",
        "feFuncB",
        "feFuncG",
        "feFuncR",
        "feGaussianBlur",
        "feImage",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "fePointLight",
        "feSpecularLighting",
        "feSpotLight",
        "feTile",
        "feTurbulence",
    ]
)
LINK_ATTRIBUTES = frozenset(("href", f"{{{XLINK_NS}}}href"))
KEPT_FOREIGN_ATTRIBUTES = frozenset((f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"))
EMBEDDED_RASTER = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)
URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
DANGEROUS_TEXT = re.compile(r"javascript:|@import|expression\(", re.IGNORECASE)
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


def looks_like_svg(data: bytes) -> bool:
    """True when the bytes are XML text (as SVG files are) rather than a raster image."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def sanitize_svg(data: bytes) -> tuple[bytes, int, int]:
    """The sanitized SVG document and the size it is drawn at (from `width`/`height`, else
    its `viewBox`); raise `ImageError` for a file that is not a well-formed SVG document."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ImageError(
            "SVG file with a DTD or entity declarations; not published",
            "export the SVG again without a DOCTYPE",
        ) from None
    except ET.ParseError as exc:
        raise ImageError(f"not a well-formed SVG file: {exc}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageError(
            "not an SVG image: the root element is not <svg>", "use SVG, JPEG, PNG, GIF or WebP"
        )
    _clean(root)
    width, height = _size(root)
    cleaned = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return cleaned.encode(), width, height


def _clean(root: ET.Element) -> None:
    """Remove what may run or fetch, walking the tree without recursion."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ImageError(f"SVG nested deeper than {MAX_DEPTH} levels; not published")
        for child in list(element):
            if not _allowed(child):
                element.remove(child)
            else:
                stack.append((child, depth + 1))
        for name, value in list(element.attrib.items()):
            if not _attribute_allowed(element, name, value):
                del element.attrib[name]
        if _local(element.tag) == "style" and element.text and _unsafe_text(element.text):
            element.text = ""


def _allowed(element: ET.Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag.startswith(f"{{{SVG_NS}}}") and _local(tag) in ELEMENTS


def _attribute_allowed(element: ET.Element, name: str, value: str) -> bool:
    if name.startswith("{") and name not in LINK_ATTRIBUTES | KEPT_FOREIGN_ATTRIBUTES:
        return False
    if name.lower().startswith("on") or _unsafe_text(value):
        return False
    if name in LINK_ATTRIBUTES:
        target = value.strip()
        raster = _local(element.tag) in ("image", "feImage") and EMBEDDED_RASTER.match(target)
        return target.startswith("#") or bool(raster)
    return True


def _unsafe_text(value: str) -> bool:
    """Script-like text, or a `url()` that leaves the file."""
    if DANGEROUS_TEXT.search(value):
        return True
    return any(not target.startswith("#") for target in URL_REFERENCE.findall(value))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _size(root: ET.Element) -> tuple[int, int]:
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        box_width, box_height = (float(box[2]), float(box[3])) if len(box) == 4 else (0.0, 0.0)
    except ValueError:
        box_width = box_height = 0.0
    if box_width > 0 and box_height > 0:
        if width and not height:
            height = width * box_height / box_width
        elif height and not width:
            width = height * box_width / box_height
        elif not width and not height:
            width, height = box_width, box_height
    if not width or not height:
        return DEFAULT_SIZE
    return max(1, round(width)), max(1, round(height))


def _length(value: str | None) -> float | None:
    """A length in user units (px or none); None for other units (%, em) or no value."""
    match = LENGTH.match(value or "")
    return float(match.group(1)) if match and float(match.group(1)) > 0 else None

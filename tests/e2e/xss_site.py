"""A site whose every field carries an XSS payload: raw HTML in Markdown, text imports, front
matter that reaches attributes, `<title>`, Open Graph and JSON-LD. Each payload, if it ever ran,
would call `alert()` or set `window.__xss`; the browser test asserts neither happens."""

from __future__ import annotations

# Raw HTML in a Markdown body: scripts, event handlers, javascript:/data:/vbscript: URLs hidden
# by entities, case, white space and control characters, SVG and MathML, forms, frames, meta
# refresh, styles, comments and CDATA tricks.
MARKDOWN_PAYLOADS = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=data:text/javascript,alert(1)></SCRIPT>",
    "<img src=http://127.0.0.1:9/x onerror=alert(1)>",
    '<img src="http://127.0.0.1:9/x" ONERROR="window.__xss=1">',
    "<img src=http://127.0.0.1:9/x onerror\n=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">b</a>',
    '<a href=" &#x6A;avascript:alert(1)">c</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">d</a>',
    '<a href="java&#x09;script:alert(1)">e</a>',
    '<a href="java\tscript:alert(1)">f</a>',
    '<a href="&#1;javascript:alert(1)">g</a>',
    '<a href="jav&NewLine;ascript&colon;alert(1)">h</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">i</a>',
    '<a href="vbscript:msgbox(1)">j</a>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">k</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=http://127.0.0.1:9/x onerror="alert(1)">',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>l</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)"><summary>m</summary></details>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="import" href="data:text/html,<script>alert(1)</script>">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<p style="background:url(javascript:alert(1))">n</p>',
    '<div style="width: expression(alert(1))">o</div>',
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=http://127.0.0.1:9/x onerror=alert(1)>"></noscript>',
    '<table><td background="javascript:alert(1)">p</td></table>',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=http://127.0.0.1:9/x onerror=alert(1)></audio>",
    '<base href="javascript:alert(1)//">',
    '<a href="/safe" onclick="alert(1)" id="click-me">q</a>',
    "<template><script>alert(1)</script></template>",
    '<figure><img src="http://127.0.0.1:9/x.png" alt="r" onload="alert(1)"><figcaption onmouseover="alert(1)">'
    "s</figcaption></figure>",
)
# Markdown links and autolinks whose URL is the payload. (An image whose URL is a payload,
# `![x](javascript:…)` or `<img src="data:…">`, is a build error at its line: see
# tests/unit/images/test_body_image_problems.py; it never reaches a browser.)
MARKDOWN_LINKS = (
    "[t](javascript:alert(1))",
    "[u](JAVASCRIPT:alert(1))",
    "[v](&#106;avascript:alert(1))",
    "[w](data:text/html,<script>alert(1)</script>)",
    '[y](https://example.org/"onmouseover="alert(1))',
    "<javascript:alert(1)>",
)
# Front matter values that end up in attributes, <title>, meta tags, feeds and JSON-LD.
TITLE = '</script><script>alert(1)</script>"><img src=http://127.0.0.1:9/x onerror=alert(1)> عنوان'
SUMMARY = "</script><svg onload=alert(1)> ' \" <!-- ملخص"
TAG = "<img src=http://127.0.0.1:9/x onerror=alert(1)>"
SOURCE_URL = 'https://example.org/a?q="><script>alert(1)</script>'
IMAGE_URL = "http://127.0.0.1:9/i.jpg?</script><script>alert(1)</script>"
AUTHOR = '"><script>alert(1)</script>'
# A news-text import: its HTML-looking lines are text, never markup.
NEWS_TEXT = (
    "<script>alert(1)</script> عنوان من نص\n"
    "٧ يناير ٢٠٢٢\n"
    "نص الخبر <img src=http://127.0.0.1:9/x onerror=alert(1)> ثم <a href=javascript:alert(1)>رابط</a>.\n"
    "</script><script>alert(1)</script> فقرة ثانية من الخبر.\n"
)


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def xss_site() -> dict[str, str | bytes]:
    """The files of the hostile site."""
    body = "\n\n".join(MARKDOWN_PAYLOADS)
    front = "\n".join(
        [
            f"title: {_yaml(TITLE)}",
            "date: 2022-01-07T09:30:00+03:00",
            f"summary: {_yaml(SUMMARY)}",
            f"tags: [{_yaml(TAG)}, وسم]",
            f"source_url: {_yaml(SOURCE_URL)}",
            f"image: {_yaml(IMAGE_URL)}",
            f"image_alt: {_yaml(TITLE)}",
            f"image_caption: {_yaml(SUMMARY)}",
            f"author: {_yaml(AUTHOR)}",
            f"source: {_yaml(AUTHOR)}",
            f"kicker: {_yaml(TAG)}",
            "topic: سياسة",
        ]
    )
    return {
        "sitegen.yaml": "title: موقع </script><script>alert(1)</script>\nlanguage: ar\n"
        "timezone: Asia/Riyadh\nbase_url: /\ntopics: [سياسة]\n",
        "content/2022-01-07-payloads.md": f"---\n{front}\n---\n{body}\n",
        # Links in their own article: an unclosed raw HTML block above would swallow them.
        "content/2022-01-07-links.md": "---\ntitle: روابط\ndate: 2022-01-07\n---\n"
        + "\n\n".join(MARKDOWN_LINKS)
        + "\n",
        "content/2022-01-07-import.txt": NEWS_TEXT,
    }

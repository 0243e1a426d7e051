"""Arabic search keys: the normalisation shared by the search index and the search page.

Pagefind stems Arabic with Snowball, which never strips the conjunction و or ف before an
alef (so `والرئيس` is not found by `رئيس`) and stems one word differently depending on the
clitics around it (`وزير` → `زير` but `الوزير` → `وزير`). sitegen therefore computes its own
*search keys* for every word and makes Pagefind index them next to the original word:

* index side (`annotate_text`): each whitespace token is followed by its keys, joined with
  `SEPARATOR`, e.g. `والرئيس_-_رييس`. Pagefind splits a token on `_` and `-` and indexes the
  parts, so the keys become searchable words at the original word's position; the search page
  deletes everything from `SEPARATOR` to the end of a token before it shows an excerpt.
* query side (`query_key`, and the same rules in JavaScript): each query word becomes one key,
  which is always among the keys of every inflected form of that word on a page.

A word's keys come from its *clitic chain*: the word with diacritics and tatweel removed,
then with one prefix stripped after another (`لل` → `ال`, the article `ال`, a one-letter
conjunction or preposition و ف ب ك ل), each link folded (alef forms, ى, ة, ؤ, ئ, digits,
case) and stripped of light suffixes (Larkey's light10 list). A page word keeps every link
from its first article on; a query word uses the link right after its last article. The chain
runs on both the word as written and its folded form, so `إلغاء`, `الغاء` and `الإلغاء` meet.

`RULES` is the single source of these rules; the search page receives it as JSON.
"""

from __future__ import annotations

import re
import unicodedata

SEPARATOR = "_-_"

RULES: dict = {
    "marks": "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]",
    "fold": {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    },
    "article": "ال",
    "rewrites": [["لل", "ال"]],
    "clitics": "وفبكل",
    "minAfterArticle": 2,
    "minAfterClitic": 3,
    "suffixes": ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"],
    "minAfterSuffix": 2,
    "minKey": 2,
    "separator": SEPARATOR,
}

_MARKS = re.compile(RULES["marks"])
_FOLD = str.maketrans(RULES["fold"])
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r"\S+")
_ANNOTATION = re.compile(re.escape(SEPARATOR) + r"[^\s<]*")


def strip_marks(text: str) -> str:
    """NFC-normalise and remove Arabic diacritics (tashkeel, Quranic marks) and tatweel."""
    return _MARKS.sub("", unicodedata.normalize("NFC", text))


def fold(word: str) -> str:
    """Fold spelling variants: alef forms to ا, ى/ی/ئ to ي, ؤ to و, ة to ه, digits, case."""
    return word.translate(_FOLD).lower()


def strip_suffix(word: str) -> str:
    """Strip light10 suffixes (each at most once, in order) while two letters remain."""
    for suffix in RULES["suffixes"]:
        if word.endswith(suffix) and len(word) - len(suffix) >= RULES["minAfterSuffix"]:
            word = word[: -len(suffix)]
    return word


def clitic_chain(word: str) -> tuple[list[str], int | None, int | None]:
    """Strip prefixes one at a time from a word without diacritics.

    Returns the links (the word first), the index of the link right after the first article
    and the index of the link right after the last article (both None without an article).
    """
    links = [word]
    first_after_article: int | None = None
    last_after_article: int | None = None
    article = RULES["article"]
    while True:
        current = links[-1]
        rewrite = next(
            (
                target + current[len(source) :]
                for source, target in RULES["rewrites"]
                if current.startswith(source)
                and len(current) - len(source) >= RULES["minAfterArticle"]
            ),
            None,
        )
        if rewrite is not None:
            links.append(rewrite)
        elif (
            current.startswith(article)
            and len(current) - len(article) >= RULES["minAfterArticle"]
        ):
            links.append(current[len(article) :])
            last_after_article = len(links) - 1
            if first_after_article is None:
                first_after_article = last_after_article
        elif current[:1] in RULES["clitics"] and len(current) - 1 >= RULES["minAfterClitic"]:
            links.append(current[1:])
        else:
            return links, first_after_article, last_after_article


def _key(link: str) -> str:
    return strip_suffix(fold(link))


def index_keys(word: str) -> list[str]:
    """Every search key of one page word (letters and digits only), in a stable order."""
    plain = strip_marks(word)
    keys: dict[str, None] = {}
    for spelling in (plain, fold(plain)):
        links, first, _ = clitic_chain(spelling)
        for link in links[first or 0 :]:
            keys[_key(link)] = None
    return [k for k in keys if len(k) >= RULES["minKey"] or k.isdigit()]


def query_key(word: str) -> str:
    """The one search key of a query word: found among the index keys of its page forms."""
    links, _, last = clitic_chain(strip_marks(word))
    return _key(links[last or 0])


def words(text: str) -> list[str]:
    """The words (runs of letters and digits) of a text, after removing diacritics."""
    return _WORD.findall(strip_marks(text))


def query_text(query: str) -> str:
    """The text to hand to Pagefind for what a reader typed: one key per query word."""
    return " ".join(k for k in (query_key(w) for w in words(query)) if k)


def annotate_token(token: str) -> str:
    """One whitespace-free token followed by the keys Pagefind would not find by itself."""
    token_words = words(token)
    keys: dict[str, None] = {}
    for word in token_words:
        for key in index_keys(word):
            keys[key] = None
    if len(token_words) == 1 and token == token_words[0]:
        keys.pop(token.lower(), None)
    return SEPARATOR.join([token, *keys])


def annotate_text(text: str) -> str:
    """Annotate every token of a text with its search keys (whitespace is kept)."""
    return _TOKEN.sub(lambda m: annotate_token(m.group()), text)


def remove_annotations(text: str) -> str:
    """Undo `annotate_text`: drop each `SEPARATOR` and what follows it in its token."""
    return _ANNOTATION.sub("", text)

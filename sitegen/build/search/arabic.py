"""Arabic search keys: the normalisation shared by the search index and the search page.

Pagefind stems Arabic with Snowball, which never strips the conjunction و or ف before an
alef (so `والرئيس` is not found by `رئيس`) and stems one word differently depending on the
clitics around it (`وزير` → `زير` but `الوزير` → `وزير`). sitegen therefore computes its own
*search keys* for every word and makes Pagefind index them next to the original word:

* index side (`annotate_text`): each whitespace token is followed by its keys, each a word of
  its own, e.g. `والرئيس ǂرييسǁ`; the search page deletes them (and moves a highlight on a key
  to its word) before it shows an excerpt. Separate words, not parts of one compound token
  (`والرئيس_-_ǂرييسǂ`, as before stop 23): Pagefind indexes a compound token whole and part by
  part, through a splitter that costs more than the rest of its indexing (a partition of 1,000
  articles: 10.6 s of Pagefind CPU as compounds, 6.1 s as words; bench/RESULTS.md).
* query side (`query_key`, and the same rules in JavaScript): each query word becomes one key,
  which is always a prefix of a key of every inflected form of that word on a page.

Keys are indexed *marked*: `KEY_MARK` before and `KEY_END` after (`رييس` → `ǂرييسǁ`; a page
word that is its own key is marked in place, `ǂقالǂ`, and stays a page word), and queried with
the leading mark only (`ǂرييس`), so a query key matches exactly the page keys it begins, as in one
Pagefind bundle, in every partition of the index. Pagefind matches a query word that a bundle
lacks with the longest indexed word that begins it (`find_word_extensions` in Pagefind's
search); with the marks, no indexed word can begin a query key (a page word has no leading
mark, a page key ends with one), so a partition without the key adds no unrelated results, and
page words never match a query key. `KEY_MARK` and `KEY_END` are letters (Pagefind keeps them in
words and does not split on them) that no language writes and that Snowball's stemmers leave in
place. A key where a cased letter meets a digit (`g20`) stays unmarked, joined to its token with
`SEPARATOR` (`_-_`, which Pagefind splits into parts): Pagefind splits such a word at that
boundary.

A word's keys come from its *clitic chain*: the word without diacritics and tatweel, then
without its conjunction (و ف), preposition (ب ك ل) and article (ال, `لل` for ل + ال), each
link folded (alef forms, ى, ة, digits, case; ؤ and ئ to ء) and stripped of light suffixes
(the light10 list of Larkey et al.). A page word keeps every link, of the word as written and
of its folded spellings, with ؤ/ئ also folded to their seats (و/ي) so that a reader who types
no hamza finds it; a query word uses only the link after its article (or the word itself, and
Pagefind's stemmer drops a conjunction or preposition from it). So `إلغاء`, `الغاء` and
`الإلغاء` meet, and `مسؤول` finds `مسئول`.

`RULES` is the single source of these rules; the search page receives it as JSON.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SEPARATOR = "_-_"
KEY_MARK = "\u01c2"  # ǂ, LATIN LETTER ALVEOLAR CLICK
KEY_END = "\u01c1"  # ǁ, LATIN LETTER LATERAL CLICK: ends a key that is a word of its own

RULES: dict = {
    "marks": "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]",
    "fold": {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ک": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    },
    "hamzaKept": {"ؤ": "ء", "ئ": "ء"},
    "hamzaDropped": {"ؤ": "و", "ئ": "ي"},
    "article": "ال",
    "conjunctions": "وف",
    "prepositions": "بكل",
    "rewrites": [["لل", "ال"]],
    "minAfterPrefix": 3,
    "suffixes": ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"],
    "minAfterSuffix": 2,
    "minKey": 2,
    "separator": SEPARATOR,
    "keyMark": KEY_MARK,
    "keyEnd": KEY_END,
}

_MARKS = re.compile(RULES["marks"])
_FOLD_KEPT = str.maketrans({**RULES["fold"], **RULES["hamzaKept"]})
_FOLD_DROPPED = str.maketrans({**RULES["fold"], **RULES["hamzaDropped"]})
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"(\s+)")
# a token ending in `_-` makes `_-_-_` with the separator: the annotation is its last `_-_`
_ANNOTATION = re.compile(re.escape(SEPARATOR) + r"(?!-_)[^\s<]*")
# a key word as `annotate_token` writes it, and as Pagefind's excerpt shows it: maybe in
# `<mark>`, maybe followed by what came after it in the page (`ǂوزيرǁ،</mark>`)
_KEY_WORD = re.compile(f"(?P<mark><mark>)?{KEY_MARK}[^\\s<{KEY_END}]*{KEY_END}(?P<rest>.*)", re.S)


def strip_marks(text: str) -> str:
    """NFC-normalise and remove Arabic diacritics (tashkeel, Quranic marks) and tatweel."""
    return _MARKS.sub("", unicodedata.normalize("NFC", text))


def fold_letters(word: str, *, keep_hamza: bool = True) -> str:
    """Fold spelling variants: alef forms to ا, ى/ی to ي, ة to ه, Eastern digits, case; and
    ؤ/ئ to ء (`keep_hamza`) or to their seats و/ي (for pages, where readers may drop it)."""
    return word.translate(_FOLD_KEPT if keep_hamza else _FOLD_DROPPED).lower()


def strip_suffix(word: str) -> str:
    """Strip light10 suffixes (each at most once, in order) while two letters remain."""
    for suffix in RULES["suffixes"]:
        if word.endswith(suffix) and len(word) - len(suffix) >= RULES["minAfterSuffix"]:
            word = word[: -len(suffix)]
    return word


def clitic_chain(word: str) -> tuple[list[str], int | None]:
    """Strip the proclitics of a word without diacritics, in Arabic's order: a conjunction
    (و ف), then a preposition (ب ك ل; `لل` is ل before an article whose alef is dropped), then
    the article ال, each only while three letters remain (or a number after the article).

    Returns the links (the word first, then after each stripped prefix) and the index of the
    link after the article (None without one).
    """
    links = [word]

    def strip(prefixes: str) -> None:
        current = links[-1]
        if current[:1] in prefixes and len(current) > RULES["minAfterPrefix"]:
            links.append(current[1:])

    strip(RULES["conjunctions"])
    current = links[-1]
    rewrite = next(
        (
            target + current[len(source) :]
            for source, target in RULES["rewrites"]
            if current.startswith(source) and len(current) - len(source) >= RULES["minAfterPrefix"]
        ),
        None,
    )
    if rewrite is not None:
        links.append(rewrite)
    else:
        strip(RULES["prepositions"])
    current = links[-1]
    article = RULES["article"]
    rest = current[len(article) :]
    if current.startswith(article) and (len(rest) >= RULES["minAfterPrefix"] or rest.isdigit()):
        links.append(rest)
        return links, len(links) - 1
    return links, None


def index_keys(word: str) -> list[str]:
    """Every search key of one page word (letters and digits only), in a stable order.

    Keys come from every link of the clitic chain of the word as written and of its folded
    spellings (a link before an article is kept too: in `لوالدتها` the و of والدة is a root
    letter, not a conjunction before an article)."""
    plain = strip_marks(word)
    keys: dict[str, None] = {}
    for keep_hamza in (True, False):
        for spelling in (plain, fold_letters(plain, keep_hamza=keep_hamza)):
            for link in clitic_chain(spelling)[0]:
                keys[strip_suffix(fold_letters(link, keep_hamza=keep_hamza))] = None
    return [k for k in keys if len(k) >= RULES["minKey"] or k.isdigit()]


def query_key(word: str) -> str:
    """The one search key of a query word: a prefix of an index key of each of its page forms."""
    links, after_article = clitic_chain(strip_marks(word))
    return strip_suffix(fold_letters(links[after_article or 0]))


def markable(key: str) -> bool:
    """Whether Pagefind keeps a marked key whole: not where a cased letter meets a digit."""
    cased = [ch.islower() or ch.isupper() for ch in key]
    digit = [ch.isdigit() for ch in key]
    return not any(
        (digit[i] and cased[i + 1]) or (cased[i] and digit[i + 1]) for i in range(len(key) - 1)
    )


def marked_query_key(key: str) -> str:
    """What Pagefind is asked for a query key: with its leading mark (a prefix of page keys)."""
    return KEY_MARK + key if markable(key) else key


def words(text: str) -> list[str]:
    """The words (runs of letters and digits) of a text, after removing diacritics."""
    return _WORD.findall(strip_marks(text))


def query_text(query: str) -> str:
    """The text to hand to Pagefind for what a reader typed: one marked key per query word."""
    return " ".join(marked_query_key(k) for k in (query_key(w) for w in words(query)) if k)


@lru_cache(maxsize=1 << 16)
def annotate_token(token: str) -> str:
    """One whitespace-free token with its keys, each a marked word after it
    (`والرئيس ǂرءيسǁ …`). When the token is one word that is its own key, the word itself is
    marked in place (`ǂقالǂ،`): one indexed word instead of two (Pagefind indexes a token's
    letters and digits, without its punctuation). An unmarkable key (`markable`) is joined to
    the token with `SEPARATOR` instead, and left out when it equals the token (Pagefind
    indexes the token itself)."""
    token_words = words(token)
    keys: dict[str, None] = {}
    for word in token_words:
        for key in index_keys(word):
            keys[key] = None
    if len(token_words) == 1:
        word = token_words[0]
        own = word.lower()
        if own in keys and word in token:
            del keys[own]
            if markable(own):
                token = token.replace(word, KEY_MARK + word + KEY_MARK, 1)
    plain = [token, *(key for key in keys if not markable(key))]
    marked = [KEY_MARK + key + KEY_END for key in keys if markable(key)]
    return " ".join([SEPARATOR.join(plain), *marked])


def annotate_text(text: str) -> str:
    """Annotate every token of a text with its search keys (whitespace is kept)."""
    parts = _SPACES.split(text)  # tokens (or '') at even places, whitespace between
    parts[::2] = map(annotate_token, parts[::2])  # a quarter faster than a `re.sub` callback
    return "".join(parts)


def remove_annotations(text: str) -> str:
    """Undo `annotate_text` in a text or in Pagefind's excerpt of it (words joined by spaces,
    matched words in `<mark>`): drop each key word and the space before it (a highlight on a
    key goes to the word the key follows), each `SEPARATOR` and what follows it in its token,
    and the marks of words marked in place."""
    out: list[str] = []
    for part in text.split(" "):
        key = _KEY_WORD.match(part)
        if key is None:
            out.append(part)
            continue
        rest = key["rest"].replace("</mark>", "", 1) if key["mark"] else key["rest"]
        if not out:  # an excerpt that begins with keys: their word is before the excerpt
            if rest:
                out.append(rest)
            continue
        word = out.pop()
        if key["mark"] and not word.startswith("<mark>"):
            word = f"<mark>{word}</mark>"
        out.append(word + rest)
    return _ANNOTATION.sub("", " ".join(out)).replace(KEY_MARK, "")

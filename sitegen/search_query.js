// Query side of sitegen's Arabic search keys; the index side is sitegen/search_arabic.py.
// RULES is prepended to this file as JSON by sitegen.search, so both sides share one rule set.

const MARKS = new RegExp(RULES.marks, "gu");
const WORD = /[\p{L}\p{N}]+/gu;
const ANNOTATION = new RegExp(RULES.separator.replace(/[-_]/g, "\\$&") + "[^\\s<]*", "g");

function stripMarks(text) {
  return text.normalize("NFC").replace(MARKS, "");
}

function fold(word) {
  return Array.from(word, (ch) => RULES.fold[ch] ?? ch).join("").toLowerCase();
}

function stripSuffix(word) {
  for (const suffix of RULES.suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= RULES.minAfterSuffix) {
      word = word.slice(0, -suffix.length);
    }
  }
  return word;
}

// The link of the clitic chain right after the last article (the word itself without one).
function lastAfterArticle(word) {
  let current = word;
  let result = word;
  for (;;) {
    const rewrite = RULES.rewrites.find(
      ([source]) =>
        current.startsWith(source) && current.length - source.length >= RULES.minAfterArticle,
    );
    if (rewrite) {
      current = rewrite[1] + current.slice(rewrite[0].length);
    } else if (
      current.startsWith(RULES.article) &&
      current.length - RULES.article.length >= RULES.minAfterArticle
    ) {
      current = current.slice(RULES.article.length);
      result = current;
    } else if (
      current.length > 0 &&
      RULES.clitics.includes(current[0]) &&
      current.length - 1 >= RULES.minAfterClitic
    ) {
      current = current.slice(1);
    } else {
      return result;
    }
  }
}

/** The search key of one query word. */
export function queryKey(word) {
  return stripSuffix(fold(lastAfterArticle(stripMarks(word))));
}

/** What to hand to Pagefind for the text a reader typed: one key per word. */
export function queryText(query) {
  const words = stripMarks(query).match(WORD) ?? [];
  return words.map(queryKey).filter(Boolean).join(" ");
}

/** Remove the index-only search keys from Pagefind's excerpt or content. */
export function removeAnnotations(html) {
  return html.replace(ANNOTATION, "");
}

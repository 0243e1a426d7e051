const PARTITIONS = ["2022"];
const RULES = {"article": "ال", "conjunctions": "وف", "fold": {"آ": "ا", "أ": "ا", "إ": "ا", "ة": "ه", "ى": "ي", "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9", "ٱ": "ا", "ک": "ك", "ی": "ي", "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9"}, "hamzaDropped": {"ؤ": "و", "ئ": "ي"}, "hamzaKept": {"ؤ": "ء", "ئ": "ء"}, "keyMark": "ǂ", "marks": "[ؐ-ًؚ-ٰٟۖ-ۜ۟-۪ۨ-ۭـ]", "minAfterPrefix": 3, "minAfterSuffix": 2, "minKey": 2, "prepositions": "بكل", "rewrites": [["لل", "ال"]], "separator": "_-_", "suffixes": ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"]};

// Query side of sitegen's search: the Arabic search keys (the index side is
// sitegen/build/search/arabic.py) and the partitioned index. RULES and PARTITIONS are
// prepended to this file as JSON by sitegen.build.search, so both sides share one rule set.

const MARKS = new RegExp(RULES.marks, "gu");
const WORD = /[\p{L}\p{N}]+/gu;
// a token ending in `_-` makes `_-_-_` with the separator: the annotation is its last `_-_`
const ANNOTATION = new RegExp(RULES.separator.replace(/[-_]/g, "\\$&") + "(?!-_)[^\\s<]*", "g");

function stripMarks(text) {
  return text.normalize("NFC").replace(MARKS, "");
}

const DIGITS = /^\p{Nd}+$/u;

function fold(word) {
  return Array.from(word, (ch) => RULES.hamzaKept[ch] ?? RULES.fold[ch] ?? ch)
    .join("")
    .toLowerCase();
}

function stripSuffix(word) {
  for (const suffix of RULES.suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= RULES.minAfterSuffix) {
      word = word.slice(0, -suffix.length);
    }
  }
  return word;
}

// The link of the clitic chain after the article (the word itself without one); see
// clitic_chain in sitegen/build/search/arabic.py.
function afterArticle(word) {
  let current = word;
  const strip = (prefixes) => {
    if (prefixes.includes(current[0]) && current.length > RULES.minAfterPrefix) {
      current = current.slice(1);
    }
  };
  strip(RULES.conjunctions);
  const rewrite = RULES.rewrites.find(
    ([source]) =>
      current.startsWith(source) && current.length - source.length >= RULES.minAfterPrefix,
  );
  if (rewrite) {
    current = rewrite[1] + current.slice(rewrite[0].length);
  } else {
    strip(RULES.prepositions);
  }
  const rest = current.slice(RULES.article.length);
  if (
    current.startsWith(RULES.article) &&
    (rest.length >= RULES.minAfterPrefix || DIGITS.test(rest))
  ) {
    return rest;
  }
  return word;
}

/** The search key of one query word. */
export function queryKey(word) {
  return stripSuffix(fold(afterArticle(stripMarks(word))));
}

const CASED_DIGIT = /[\p{Lowercase}\p{Uppercase}]\p{Nd}|\p{Nd}[\p{Lowercase}\p{Uppercase}]/u;

// A key as Pagefind is asked for it: with its leading mark, so that it matches exactly the page
// keys it begins (see markable and marked_query_key in arabic.py).
function markedKey(key) {
  return CASED_DIGIT.test(key) ? key : RULES.keyMark + key;
}

/** What to hand to Pagefind for the text a reader typed: one marked key per word. */
export function queryText(query) {
  const words = stripMarks(query).match(WORD) ?? [];
  return words.map(queryKey).filter(Boolean).map(markedKey).join(" ");
}

/** Remove the index-only search keys and marks from Pagefind's excerpt or content. */
export function removeAnnotations(html) {
  return html.replace(ANNOTATION, "").replaceAll(RULES.keyMark, "");
}

const UNDATED = "undated";
// a partition's name is the first day of its period, shortened to the year or month
const DAY_PADDING = "0000-01-01";

function firstDay(name) {
  return name + DAY_PADDING.slice(name.length);
}

/**
 * The partitions that can hold articles of the given months (`YYYY-MM`), newest first:
 * those whose period (from its first day to the next partition's) meets one of them; every
 * partition when no months are given. Undated records (standalone pages) have no month.
 */
export function partitionsFor(months) {
  if (!months) return PARTITIONS;
  const dated = PARTITIONS.filter((name) => name !== UNDATED);
  return dated.filter((name, i) => {
    const start = firstDay(name);
    const end = i ? firstDay(dated[i - 1]) : null; // the newer partition's first day
    return months.some((month) => start <= `${month}-31` && (!end || `${month}-01` < end));
  });
}

let whole = null;
const fewer = new Map();

/**
 * Pagefind over the whole index, or over the partitions that can hold the given months
 * (`openIndex({ months: ["2022-01"] })`: a query with that date filter then fetches nothing
 * of the others): the first partition's pagefind.js with the others merged in (Pagefind's
 * multisite search ranks and filters across them). Partitions are folders beside this
 * module; the same partitions give the same instance.
 */
export function openIndex({ months } = {}) {
  return instanceOver(partitionsFor(months));
}

function instanceOver(names) {
  whole ??= mergePartitions(PARTITIONS, false);
  if (!names.length || names.length === PARTITIONS.length) return whole;
  const key = names.join(" ");
  // Instances share Pagefind's WebAssembly, loaded by the whole index's: the others wait for
  // it (a second load at the same time would replace it under the first).
  if (!fewer.has(key)) fewer.set(key, whole.then(() => mergePartitions(names, true)));
  return fewer.get(key);
}

/**
 * Run a search for `text` (a `queryText`) in the newest partition alone, results dropped.
 * Pagefind's WebAssembly runs its first search several times slower than the next ones (its
 * code compiles as it first runs); a page that calls this while the reader types (say, at the
 * first word's third letter) spares the reader's search that cost, for the index chunks of one
 * partition (the other partitions share the WebAssembly).
 */
export async function warmUp(text) {
  const newest = PARTITIONS.find((name) => name !== UNDATED) ?? PARTITIONS[0];
  const pagefind = await instanceOver([newest]);
  await pagefind.search(text);
}

function folder(name) {
  const url = new URL(`${name}/`, import.meta.url);
  return url.origin === location.origin ? url.pathname : url.href;
}

async function mergePartitions(names, separate) {
  const [first, ...rest] = names.map(folder);
  const module = await import(`${first}pagefind.js`);
  // the module's own instance for the whole index, one of their own for fewer partitions
  const pagefind = separate ? module.createInstance({ basePath: first }) : module;
  await Promise.all(rest.map((path) => pagefind.mergeIndex(path)));
  await pagefind.init();
  return pagefind;
}

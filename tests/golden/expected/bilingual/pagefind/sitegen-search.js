const PARTITIONS = ["2022"];
const REPLACED = [];
const RULES = {"article": "ال", "conjunctions": "وف", "fold": {"آ": "ا", "أ": "ا", "إ": "ا", "ة": "ه", "ى": "ي", "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9", "ٱ": "ا", "ک": "ك", "ی": "ي", "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9"}, "hamzaDropped": {"ؤ": "و", "ئ": "ي"}, "hamzaKept": {"ؤ": "ء", "ئ": "ء"}, "keyEnd": "ǁ", "keyMark": "ǂ", "marks": "[ؐ-ًؚ-ٰٟۖ-ۜ۟-۪ۨ-ۭـ]", "minAfterPrefix": 3, "minAfterSuffix": 2, "minKey": 2, "prepositions": "بكل", "rewrites": [["لل", "ال"]], "separator": "_-_", "suffixes": ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"]};

// Query side of sitegen's search: the Arabic search keys (the index side is
// sitegen/build/search/arabic.py) and the partitioned index. RULES, PARTITIONS and REPLACED
// are prepended to this file as JSON by sitegen.build.search, so both sides share one rule set.

const MARKS = new RegExp(RULES.marks, "gu");
const WORD = /[\p{L}\p{N}]+/gu;
// a token ending in `_-` makes `_-_-_` with the separator: the annotation is its last `_-_`
const ANNOTATION = new RegExp(RULES.separator.replace(/[-_]/g, "\\$&") + "(?!-_)[^\\s<]*", "g");
// a key word as the index has it, as Pagefind's excerpt shows it: maybe in <mark>, maybe
// followed by what came after it in the page (`ǂوزيرǁ،</mark>`)
const KEY_WORD = new RegExp(`^(<mark>)?${RULES.keyMark}[^\\s<${RULES.keyEnd}]*${RULES.keyEnd}(.*)$`, "su");
// Pagefind's excerpts are this many words, keys included (its default is 30 words; the index
// has about one key word for each page word)
export const EXCERPT_LENGTH = 60;

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

// The link of the clitic chain before the article: the word without its conjunction and
// preposition (see clitic_chain in sitegen/build/search/arabic.py).
function beforeArticle(word) {
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
  return current;
}

// The link of the clitic chain after the article (the word itself without one).
function afterArticle(word) {
  const current = beforeArticle(word);
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

/**
 * What to preload while the reader types `typed`: its `queryText`, or "" while its last word is
 * an article and a letter or two (`الر`): that word's key keeps the article, which the key of
 * the word it begins drops (`الرئيس`: `رءيس`), so its index chunks would be fetched for nothing.
 */
export function preloadText(typed) {
  const last = (stripMarks(typed).match(WORD) ?? []).at(-1) ?? "";
  const unsettled = beforeArticle(last).startsWith(RULES.article) && afterArticle(last) === last;
  return unsettled ? "" : queryText(typed);
}

/**
 * Remove the index-only search keys and marks from Pagefind's excerpt or content: each key word
 * and the space before it (a highlight on a key goes to the word the key follows), each
 * separator and the rest of its token, and the marks of words marked in place.
 */
export function removeAnnotations(html) {
  const out = [];
  for (const part of html.split(" ")) {
    const key = KEY_WORD.exec(part);
    if (!key) {
      out.push(part);
      continue;
    }
    const rest = key[1] ? key[2].replace("</mark>", "") : key[2];
    if (!out.length) {
      // an excerpt that begins with keys: their word is before the excerpt
      if (rest) out.push(rest);
      continue;
    }
    let word = out.pop();
    if (key[1] && !word.startsWith("<mark>")) word = `<mark>${word}</mark>`;
    out.push(word + rest);
  }
  return out.join(" ").replace(ANNOTATION, "").replaceAll(RULES.keyMark, "");
}

const UNDATED = "undated";
// the articles edited since the last whole build (sitegen/build/search/overlay.py): listed
// first, of any date; their hits in the other partitions are REPLACED
const OVERLAY = "edits";
const REPLACED_IDS = new Set(REPLACED);
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
  const dated = PARTITIONS.filter((name) => name !== UNDATED && name !== OVERLAY);
  const meeting = dated.filter((name, i) => {
    const start = firstDay(name);
    const end = i ? firstDay(dated[i - 1]) : null; // the newer partition's first day
    return months.some((month) => start <= `${month}-31` && (!end || `${month}-01` < end));
  });
  return PARTITIONS.includes(OVERLAY) ? [OVERLAY, ...meeting] : meeting;
}

// Searching: every partition is a Pagefind bundle, and the partitions a query needs are split
// into contiguous shares, one for each of a few workers of this module (Pagefind's search is
// single-threaded WebAssembly, and its cost grows with the hits: a common word at 100,000
// articles is tens of thousands of hits to score). Each worker searches its share with
// Pagefind's own API (one instance merging the share's partitions, as Pagefind's multisite
// search does) and answers with the hits' ids and scores only; the page merges the shares in
// score order. Pagefind sorts merged hits by score, stably in partition order; each share's
// hits come so sorted, and the merge takes a tie from the earlier share: the same order as
// one instance over every partition. A hit's data (title, excerpt) stays in its worker until
// `data()` asks for it.

const WORKER_NAME = "sitegen-search";
const MAX_WORKERS = 4;
const workers = [];
let whole = null;
const fewer = new Map();

/**
 * Pagefind's search over the whole index, or over the partitions that can hold the given
 * months (`openIndex({ months: ["2022-01"] })`: a query with that date filter then fetches
 * nothing of the others). Resolves when every partition is open, to an object with Pagefind's
 * `search(text, options)`, `preload(text, options)` and `filters()`; a result has Pagefind's
 * `id`, `score` and `data()` (its word positions are `data().locations`). The same partitions
 * give the same object.
 */
export function openIndex({ months } = {}) {
  return indexOver(partitionsFor(months));
}

function indexOver(names) {
  whole ??= openShares(PARTITIONS);
  if (!names.length || names.length === PARTITIONS.length) return whole;
  const key = names.join(" ");
  if (!fewer.has(key)) fewer.set(key, openShares(names));
  return fewer.get(key);
}

/** `names` in at most `count` contiguous runs of nearly equal length, in order. */
function shares(names, count) {
  const n = Math.min(count, names.length);
  return Array.from({ length: n }, (_, k) =>
    names.slice(Math.floor((k * names.length) / n), Math.floor(((k + 1) * names.length) / n)),
  );
}

function workerCount() {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WORKERS));
}

let asked = 0;

/** Ask worker `k` (started on first use) to run `method`; resolves to its answer. */
function ask(k, method, args) {
  workers[k] ??= startWorker();
  const { worker, waiting } = workers[k];
  const id = ++asked;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, method, args });
  });
}

function startWorker() {
  const worker = new Worker(import.meta.url, { type: "module", name: WORKER_NAME });
  const waiting = new Map();
  worker.addEventListener("message", ({ data: { id, result, error } }) => {
    const pending = waiting.get(id);
    waiting.delete(id);
    if (error === undefined) pending.resolve(result);
    else pending.reject(new Error(error));
  });
  worker.addEventListener("error", (event) => {
    for (const pending of waiting.values()) pending.reject(new Error(event.message));
    waiting.clear();
  });
  return { worker, waiting };
}

async function openShares(names) {
  const parts = shares(names, workerCount()).map((share) => share.map(folder));
  const language = document.documentElement.lang || "unknown";
  await Promise.all(parts.map((share, k) => ask(k, "open", { share, language })));
  return new SharedIndex(parts);
}

let searches = 0;
// a search's hits are released in the workers once the page no longer holds its results
const release = new FinalizationRegistry(({ search, count }) => {
  for (let k = 0; k < count; k++) ask(k, "release", { search }).catch(() => {});
});

class SharedIndex {
  constructor(parts) {
    this.parts = parts;
  }

  each(method, args = {}) {
    return Promise.all(this.parts.map((share, k) => ask(k, method, { ...args, share })));
  }

  async preload(text, options = {}) {
    await this.each("preload", { text, options });
  }

  async filters() {
    return mergeFilters(await this.each("filters"));
  }

  async search(text, options = {}) {
    const search = ++searches;
    const found = await this.each("search", { text, options, search });
    const results = merged(found, search);
    release.register(results, { search, count: found.length });
    return {
      results,
      unfilteredResultCount: found.reduce((sum, f) => sum + f.unfilteredResultCount, 0),
      filters: mergeFilters(found.map((f) => f.filters)),
      totalFilters: mergeFilters(found.map((f) => f.totalFilters)),
      timings: found.flatMap((f) => f.timings),
    };
  }
}

class Result {
  #worker;
  #search;
  #index;

  constructor(id, score, worker, search, index) {
    this.id = id;
    this.score = score;
    this.#worker = worker;
    this.#search = search;
    this.#index = index;
  }

  /** Pagefind's data of the hit (url, meta, filters, excerpt, locations …). */
  data() {
    return ask(this.#worker, "data", { search: this.#search, index: this.#index });
  }
}

/** The shares' hits (each sorted by score) in one list by score, ties to the earlier share. */
function merged(found, search) {
  const next = found.map(() => 0);
  const total = found.reduce((sum, f) => sum + f.scores.length, 0);
  const results = new Array(total);
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let k = 0; k < found.length; k++) {
      if (next[k] < found[k].scores.length) {
        if (best < 0 || found[k].scores[next[k]] > found[best].scores[next[best]]) best = k;
      }
    }
    const i = next[best]++;
    results[n] = new Result(found[best].ids[i], found[best].scores[i], best, search, i);
  }
  return results;
}

/** Filter counts summed over shares (as Pagefind sums them over merged indexes). */
function mergeFilters(all) {
  const merged = {};
  for (const filters of all) {
    for (const [name, values] of Object.entries(filters ?? {})) {
      const counts = (merged[name] ??= {});
      for (const [value, count] of Object.entries(values)) {
        counts[value] = (counts[value] ?? 0) + count;
      }
    }
  }
  return merged;
}

/**
 * Run a search for `text` (a `queryText`) in the first partition of each worker's share of the
 * whole index (the newest partition among them), results dropped. Pagefind's WebAssembly runs
 * its first search in a worker several times slower than the next ones (its code compiles as
 * it first runs); a page that calls this while the reader types (say, at the first word's third
 * letter) spares the reader's search that cost, for the index chunks of one partition a worker.
 */
export async function warmUp(text) {
  const index = await indexOver(PARTITIONS);
  await index.each("warmUp", { text });
}

function folder(name) {
  const url = new URL(`${name}/`, import.meta.url);
  return url.origin === location.origin ? url.pathname : url.href;
}

// ---- the worker's side: Pagefind over one share of the partitions ----

const pagefinds = new Map(); // share (folders joined) → Pagefind instance
const hits = new Map(); // search → its hits, for data()
let loaded = null; // the first instance: it loads Pagefind's WebAssembly for the others

/** Pagefind over the partitions in `share` (folders): the first one's instance, the others merged. */
function pagefindOver(share) {
  const key = share.join(" ");
  if (!pagefinds.has(key)) {
    // instances share Pagefind's WebAssembly, loaded by the first: the others wait for it (a
    // second load at the same time would replace it under the first)
    const made = loaded ? loaded.then(() => mergeShare(share)) : mergeShare(share);
    loaded ??= made;
    pagefinds.set(key, made);
  }
  return pagefinds.get(key);
}

async function mergeShare([first, ...rest]) {
  const module = await import(`${first}pagefind.js`);
  const options = { excerptLength: EXCERPT_LENGTH };
  const pagefind = module.createInstance({ basePath: first, ...options });
  await Promise.all(rest.map((path) => pagefind.mergeIndex(path, options)));
  await pagefind.preload(""); // resolves once every partition's metadata is in
  return pagefind;
}

const METHODS = {
  open: async ({ share, language }) => {
    // Pagefind takes the language from the page's <html lang>, which a worker lacks
    globalThis.document ??= { querySelector: () => ({ getAttribute: () => language }) };
    await pagefindOver(share);
  },
  preload: async ({ share, text, options }) => {
    await (await pagefindOver(share)).preload(text, options);
  },
  filters: async ({ share }) => (await pagefindOver(share)).filters(),
  search: async ({ share, text, options, search }) => {
    const found = await (await pagefindOver(share)).search(text, options);
    const results = found.results.filter((r) => !REPLACED_IDS.has(r.id));
    hits.set(search, results);
    return {
      ids: results.map((r) => r.id),
      scores: Float64Array.from(results, (r) => r.score),
      unfilteredResultCount: found.unfilteredResultCount,
      filters: found.filters,
      totalFilters: found.totalFilters,
      timings: found.timings,
    };
  },
  data: ({ search, index }) => hits.get(search)[index].data(),
  release: ({ search }) => {
    hits.delete(search);
  },
  warmUp: async ({ share, text }) => {
    await (await pagefindOver(share.slice(0, 1))).search(text);
  },
};

if (typeof WorkerGlobalScope !== "undefined" && self.name === WORKER_NAME) {
  self.addEventListener("message", async ({ data: { id, method, args } }) => {
    try {
      const result = await METHODS[method](args);
      const transfer = result?.scores ? [result.scores.buffer] : [];
      self.postMessage({ id, result }, transfer);
    } catch (error) {
      self.postMessage({ id, error: String(error?.message ?? error) });
    }
  });
}

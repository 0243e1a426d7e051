// The digest theme's search page: Pagefind's JS API, with the query turned into sitegen's
// Arabic search keys and excerpts cleaned of them by the bundle's sitegen-search.js
// (see docs/search.md), which also opens every partition of the index and searches them in
// parallel workers. Loads nothing from outside the site. The index starts opening as soon as this module runs; while the reader
// types, the index chunks of the words typed so far are fetched (Pagefind's preload) and
// Pagefind's WebAssembly is warmed up, so the search itself only runs Pagefind's search;
// result data (title, excerpt) is fetched for the results shown only, a page of PAGE_SIZE at
// a time, each result shown as soon as its data is in.

const form = document.querySelector(".search-form");
const input = document.getElementById("search-query");
const topic = document.getElementById("search-topic");
const from = document.getElementById("search-from");
const to = document.getElementById("search-to");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const template = document.getElementById("search-result");
const data = JSON.parse(document.getElementById("search-data").textContent);
const plural = new Intl.PluralRules(data.language);
const PAGE_SIZE = 10; // about a screenful: the results whose data is fetched
// a word is preloaded from this many letters: shorter beginnings match too many words
const PRELOAD_LETTERS = 3;

let engine = null;
let current = 0;

function shownDigits(text) {
  return String(text).replace(/[0-9]/g, (d) => data.digits[d]);
}

async function open() {
  const helper = await import(`${form.dataset.bundle}sitegen-search.js`);
  await helper.openIndex();
  return helper;
}

function load() {
  engine ??= open().catch((error) => {
    engine = null; // the next search tries again
    throw error;
  });
  return engine;
}

// the index opens at once, before anything else the page does
load().catch(() => {});

function months(select) {
  return select ? Array.from(select.options, (o) => o.value).filter(Boolean) : [];
}

function filters() {
  const chosen = {};
  if (topic && topic.value) chosen.topic = topic.value;
  if ((from && from.value) || (to && to.value)) {
    const all = months(from);
    const low = from.value || all[0];
    const high = to.value || all[all.length - 1];
    chosen.month = { any: all.filter((m) => m >= low && m <= high) };
  }
  return chosen;
}

function render(result, helper) {
  const item = template.content.firstElementChild.cloneNode(true);
  const link = item.querySelector("h2 a");
  link.href = result.url;
  link.textContent = result.meta.title;
  const topicName = (result.filters.topic || [])[0];
  const topicLink = item.querySelector(".topic-link");
  const day = data.days[(result.filters.day || [])[0]];
  const daySlot = item.querySelector(".result-day");
  if (topicName) {
    topicLink.href = data.topics[topicName] || "";
    topicLink.firstElementChild.textContent = topicName;
  } else {
    topicLink.remove();
  }
  if (day) {
    const time = document.createElement("time");
    time.dateTime = day.iso;
    time.textContent = day.text;
    daySlot.replaceWith(time);
  } else {
    daySlot.remove();
  }
  if (!topicName || !day) item.querySelector(".meta .sep").remove();
  item.querySelector(".excerpt").innerHTML = helper.removeAnnotations(result.excerpt);
  return item;
}

function countMessage(count) {
  const message = data.messages.count[plural.select(count)] || data.messages.count.other;
  return message.replace("{num}", shownDigits(count));
}

// a result's data (title, excerpt: one file), asked of Pagefind once
const asked = new WeakMap();
function dataOf(result) {
  if (!asked.has(result)) asked.set(result, result.data());
  return asked.get(result);
}

// Show a page of results, each as soon as its data and that of the results above it is in.
async function show(results, helper, start, search) {
  const page = results.slice(start, start + PAGE_SIZE).map(dataOf);
  if (search !== current) return;
  list.querySelector(".search-more")?.remove();
  for (const pending of page) {
    const result = await pending;
    if (search !== current) return;
    list.append(render(result, helper));
  }
  if (start + PAGE_SIZE < results.length) {
    const item = document.createElement("li");
    item.className = "search-more";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = data.messages.more;
    button.addEventListener("click", () => {
      show(results, helper, start + PAGE_SIZE, search).then(() => {
        list.children[start + PAGE_SIZE]?.querySelector("a")?.focus();
      });
    });
    item.append(button);
    list.append(item);
  }
}

// The last search asked of Pagefind: Enter right after the page's search-as-you-type started
// shows that search, instead of running a second one behind it in the search workers.
let last = null;
function searchOnce(pagefind, text, chosen) {
  const key = JSON.stringify([text, chosen]);
  if (last?.key !== key) {
    const found = pagefind.search(text, { filters: chosen });
    last = { key, found };
    found.catch(() => {
      if (last?.found === found) last = null; // the next search asks again
    });
  }
  return last.found;
}

async function run() {
  const search = ++current;
  const query = input.value.trim();
  const params = new URLSearchParams();
  for (const field of [input, topic, from, to]) {
    if (field && field.value) params.set(field.name, field.value);
  }
  const url = params.size ? `?${params}` : location.pathname;
  history.replaceState(null, "", url);
  list.replaceChildren();
  if (!query) {
    status.textContent = data.messages.empty;
    return;
  }
  status.textContent = data.messages.searching;
  try {
    const helper = await load();
    const chosen = filters();
    // a date filter searches only the partitions of its months
    const pagefind = await helper.openIndex({ months: chosen.month?.any });
    const found = await searchOnce(pagefind, helper.queryText(query), chosen);
    if (search !== current || !found) return;
    await show(found.results, helper, 0, search);
    if (search !== current) return;
    status.textContent = found.results.length
      ? countMessage(found.results.length)
      : data.messages.none.replace("{query}", query);
  } catch (error) {
    if (search === current) status.textContent = data.messages.failed;
    console.error(error);
  }
}

let timer = 0;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(run, 200);
}

// While the reader types: fetch the index chunks of the words typed so far (every word long
// enough, the last one once its key is settled: helper.preloadText; Pagefind keeps what it
// fetched), so that the search finds them loaded; and, once per
// page, warm Pagefind's WebAssembly up with them (helper.warmUp: one partition's search in
// each search worker).
let warming = null;
async function prepare() {
  const query = input.value.trim();
  const words = query.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length || words.some((word) => word.length < PRELOAD_LETTERS)) return;
  const helper = await load();
  const chosen = filters();
  const pagefind = await helper.openIndex({ months: chosen.month?.any });
  warming ??= helper.warmUp(helper.queryText(query)).catch(() => {});
  const ahead = helper.preloadText(query); // "" while the last word's key is unsettled
  if (ahead) await pagefind.preload(ahead, { filters: chosen });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
input.addEventListener("input", () => {
  prepare().catch(() => {});
  soon();
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && input.value) {
    input.value = "";
    run();
  }
});
for (const select of [topic, from, to]) select?.addEventListener("change", run);

const initial = new URLSearchParams(location.search);
for (const field of [input, topic, from, to]) {
  if (field && initial.has(field.name)) field.value = initial.get(field.name);
}
if (input.value) {
  run();
} else {
  status.textContent = data.messages.empty;
  input.focus();
}

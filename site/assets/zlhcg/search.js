/*
 * 浙里好成果 — site search: exact substring search over the index built by pipeline/search/index.py (its
 * docstring describes the files; pipeline/search/query.py is the reference implementation of this algorithm).
 * A query fetches the manifest (no-cache), the few index files holding its character bigrams and the metadata
 * of the results shown, each as path?v=<that file's own content version>, so a deploy invalidates only the
 * files it changed. No libraries, no eval, no inline handlers, no innerHTML: the site's CSP is script-src 'self'.
 */
(() => {
  "use strict";

  const FORMAT = 2;
  const VERSION_CHARS = 6; // per file, concatenated in the manifest (codec.VERSION_CHARS)
  const STRIDE = 1 << 24; // a position is field * STRIDE + offset in the field (query.py: the same)
  const PAGE_SIZE = 20;
  const DEBOUNCE_MS = 250;
  const SHARD_COST = 32 * 1024; // cost of a key kept in a shard when choosing bigrams (as in search_query.py)
  const TERMINAL = 46; // number code: the first 46 digits end a number, the other 45 lead
  const LEADING = 45;
  // Python's str.isspace() and JavaScript's \s together, as in search_index.py.
  const WHITESPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  const EDGE_SPACES = /^ +| +$/g;
  const DIGITS = digitTable();
  const ENCODER = new TextEncoder();
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  function digitTable() {
    const table = new Int16Array(128).fill(-1);
    let value = 0;
    for (let code = 0x23; code < 0x7f; code++) {
      if (code !== 0x5c) table[code] = value++;
    }
    return table;
  }

  /* Look-alike middle dots, folded to U+00B7 after NFKC (as pipeline/check/names.py). */
  const MIDDLE_DOTS = /[\u2022\u2027\u30fb\uff65\u16eb\u2219\u22c5]/g;

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase().replace(MIDDLE_DOTS, "\u00b7").replace(WHITESPACE, " ").replace(EDGE_SPACES, "");
  }

  function queryWords(query) {
    const normal = normalise(query);
    return normal ? normal.split(" ") : [];
  }

  /* The file name of a big key: the hexadecimal UTF-8 of the key (codec.key_name). */
  function keyName(key) {
    return Array.from(ENCODER.encode(key), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function fnv1a(key) {
    let hash = 0x811c9dc5;
    for (const byte of ENCODER.encode(key)) hash = Math.imul(hash ^ byte, 0x01000193);
    return hash >>> 0;
  }

  function decodeNumbers(code) {
    const numbers = [];
    let lead = 0;
    for (let i = 0; i < code.length; i++) {
      const digit = DIGITS[code.charCodeAt(i)];
      if (digit < TERMINAL) {
        numbers.push(lead * TERMINAL + digit);
        lead = 0;
      } else {
        lead = lead * LEADING + digit - TERMINAL + 1;
      }
    }
    return numbers;
  }

  /* Bigram offsets covering every character: from 0 to length-2 in steps of 1 or 2, cheapest first. */
  function cover(length, costs) {
    const last = length - 2;
    const best = [{ total: costs[0], count: 1, path: [0] }];
    for (let offset = 1; offset <= last; offset++) {
      let choice = best[offset - 1];
      if (offset >= 2) {
        const jump = best[offset - 2];
        if (jump.total < choice.total || (jump.total === choice.total && jump.count < choice.count)) choice = jump;
      }
      best.push({ total: choice.total + costs[offset], count: choice.count + 1, path: choice.path.concat([offset]) });
    }
    return best[last].path;
  }

  function documentList(code) {
    const found = new Map();
    let doc = -1;
    for (const value of decodeNumbers(code)) {
      doc += Math.floor(value / 2) + 1;
      found.set(doc, value % 2 === 1);
    }
    return found;
  }

  /* Document → positions (field * STRIDE + offset), ascending; the code is described in index.py: one number
     for an occurrence in the same document and field as the previous one, three for any other. The first
     document gap counts from `before`. */
  function positional(code, before = -1) {
    const numbers = decodeNumbers(code);
    const found = new Map();
    let doc = before;
    let field = 0;
    let offset = 0;
    let i = 0;
    while (i < numbers.length) {
      const head = numbers[i];
      if (head % 2 === 0) { // the same document and field: an offset gap
        offset += head / 2 + 1;
        i += 1;
      } else {
        const gap = (head - 1) / 2;
        field = gap ? numbers[i + 1] : field + numbers[i + 1];
        doc += gap;
        offset = numbers[i + 2];
        i += 3;
      }
      const position = field * STRIDE + offset;
      const positions = found.get(doc);
      if (positions) positions.push(position);
      else found.set(doc, [position]);
    }
    return found;
  }

  class SearchIndex {
    constructor(base) {
      this.base = base;
      this.files = new Map();
    }

    /* `version`: the file's own content version (none for the manifest, fetched with no-cache). */
    fetchJson(path, version) {
      let promise = this.files.get(path);
      if (!promise) {
        const url = new URL(path, this.base);
        if (version) url.searchParams.set("v", version);
        promise = fetch(url.href, version ? {} : { cache: "no-cache" }).then((response) => {
          if (!response.ok) throw new Error(`${response.status} ${url.href}`);
          return response.json();
        });
        promise.catch(() => this.files.delete(path)); // let a later query try again
        this.files.set(path, promise);
      }
      return promise;
    }

    manifest() {
      return this.fetchJson("manifest.json", "").then((manifest) => {
        if (manifest.format !== FORMAT) throw new Error(`search index format ${manifest.format}`);
        return manifest;
      });
    }

    versioned(manifest, folder, k) {
      const version = manifest.versions[folder].slice(k * VERSION_CHARS, (k + 1) * VERSION_CHARS);
      return this.fetchJson(`${folder}/${k}.json`, version);
    }

    isBig(manifest, key) {
      return own(manifest.big, key);
    }

    cost(manifest, key) {
      return this.isBig(manifest, key) ? manifest.big[key][1] : SHARD_COST;
    }

    async shardValue(manifest, key) {
      const single = Array.from(key).length === 1;
      const count = single ? manifest.charShards : manifest.bigramShards;
      const file = await this.versioned(manifest, single ? "u" : "b", fnv1a(key) % count);
      return own(file, key) ? file[key] : "";
    }

    bigList(manifest, key) {
      return this.fetchJson(`d/${keyName(key)}.json`, manifest.big[key][0]);
    }

    /* Documents containing a character or bigram → does the title contain it. */
    async documents(manifest, key) {
      if (this.isBig(manifest, key)) return documentList((await this.bigList(manifest, key)).docs);
      const code = await this.shardValue(manifest, key);
      if (Array.from(key).length === 1) return documentList(code);
      const found = new Map();
      for (const [doc, positions] of positional(code)) found.set(doc, positions[0] < STRIDE);
      return found;
    }

    /* Positions of a bigram in (at least) `docs`: for a big key only the pieces holding them. */
    async positions(manifest, pair, docs) {
      if (!this.isBig(manifest, pair)) return positional(await this.shardValue(manifest, pair));
      const big = await this.bigList(manifest, pair);
      const pieces = Array.from(new Set(docs.map((doc) => Math.floor(doc / big.step))));
      const files = await Promise.all(pieces.map((piece) => this.fetchJson(`p/${keyName(pair)}-${piece}.json`, big.pieces[piece])));
      const found = new Map();
      files.forEach((file, k) => {
        for (const [doc, positions] of positional(file.postings, pieces[k] * big.step - 1)) found.set(doc, positions);
      });
      return found;
    }

    /* Documents whose indexed text contains `word` (normalised, no spaces) → is it in the title. */
    async wordHits(manifest, word) {
      const chars = Array.from(word);
      if (chars.length <= 2) return this.documents(manifest, word);
      const pairs = [];
      for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
      const offsets = cover(chars.length, pairs.map((pair) => this.cost(manifest, pair)));
      const lists = await Promise.all(offsets.map((offset) => this.documents(manifest, pairs[offset])));
      let candidates = lists.reduce((a, b) => (b.size < a.size ? b : a));
      candidates = Array.from(candidates.keys()).filter((doc) => lists.every((list) => list.has(doc)));
      // Shard keys first (their positions came with their documents), then big keys, smallest first: each
      // step keeps only the starts where that bigram stands, so later big keys fetch fewer pieces.
      const order = offsets.slice().sort((a, b) => (this.isBig(manifest, pairs[a]) - this.isBig(manifest, pairs[b]))
        || (this.cost(manifest, pairs[a]) - this.cost(manifest, pairs[b])) || (a - b));
      const starts = new Map();
      for (let step = 0; step < order.length; step++) {
        if (!candidates.length) return new Map();
        const offset = order[step];
        const table = await this.positions(manifest, pairs[offset], candidates);
        for (const doc of candidates) {
          const positions = table.get(doc);
          if (step === 0) { // a word starts at least `offset` into the field of this bigram: none spans fields
            const found = [];
            for (const p of positions) if (p % STRIDE >= offset) found.push([p - offset, p < STRIDE]);
            starts.set(doc, found);
          } else {
            const present = new Set(positions);
            starts.set(doc, starts.get(doc).filter(([start]) => present.has(start + offset)));
          }
        }
        candidates = candidates.filter((doc) => starts.get(doc).length > 0);
      }
      const hits = new Map();
      for (const doc of candidates) hits.set(doc, starts.get(doc).some(([, inTitle]) => inTitle));
      return hits;
    }

    /* Document numbers: every word in the title first, then newest entry (highest number) first. */
    async searchDocs(words) {
      const manifest = await this.manifest();
      const all = await Promise.all(Array.from(new Set(words)).map((word) => this.wordHits(manifest, word)));
      let found = all[0];
      for (const hits of all.slice(1)) {
        const next = new Map();
        for (const [doc, inTitle] of found) if (hits.has(doc)) next.set(doc, inTitle && hits.get(doc));
        found = next;
      }
      return Array.from(found.keys()).sort((a, b) => (found.get(b) - found.get(a)) || (b - a));
    }

    /* A result's searchable fields but the title; `version` comes with its metadata row. */
    async fields(doc, version) {
      const manifest = await this.manifest();
      return { labels: manifest.fields || [], fields: await this.fetchJson(`t/${doc}.json`, version) };
    }

    async results(docs) {
      const manifest = await this.manifest();
      const size = manifest.metaChunk;
      const chunks = new Map();
      for (const doc of docs) {
        const chunk = Math.floor(doc / size);
        if (!chunks.has(chunk)) chunks.set(chunk, this.versioned(manifest, "m", chunk));
      }
      const loaded = new Map();
      await Promise.all(Array.from(chunks, ([chunk, promise]) => promise.then((rows) => loaded.set(chunk, rows))));
      return docs.map((doc) => {
        const [id, title, category, categorySlug, unit, entered, summary, fieldsVersion] = loaded.get(Math.floor(doc / size))[doc % size];
        return { doc, id, title, category, categorySlug, unit, entered, summary, fieldsVersion };
      });
    }
  }

  /* Which characters of `text` belong to an occurrence of a query word (compared normalised, as indexed). */
  function matchedChars(text, words) {
    const chars = Array.from(text);
    const normal = [];
    const owner = [];
    chars.forEach((char, i) => {
      for (const piece of Array.from(char.normalize("NFKC").toLowerCase().replace(MIDDLE_DOTS, "\u00b7"))) {
        normal.push(piece);
        owner.push(i);
      }
    });
    const marked = new Uint8Array(chars.length);
    const found = new Set();
    for (const word of words) {
      const target = Array.from(word);
      for (let start = 0; start + target.length <= normal.length; start++) {
        let k = 0;
        while (k < target.length && normal[start + k] === target[k]) k++;
        if (k === target.length) {
          found.add(word);
          for (let j = start; j < start + k; j++) marked[owner[j]] = 1;
        }
      }
    }
    return { chars, marked, found };
  }

  /* Appends `text` to `parent`, each occurrence of a query word wrapped in <mark> (text nodes only). */
  function appendHighlighted(parent, text, words) {
    const { chars, marked } = matchedChars(text, words);
    for (let i = 0; i < chars.length;) {
      let j = i;
      while (j < chars.length && marked[j] === marked[i]) j++;
      const segment = chars.slice(i, j).join("");
      if (marked[i]) {
        const mark = document.createElement("mark");
        mark.textContent = segment;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(segment));
      }
      i = j;
    }
  }

  const SNIPPET_BEFORE = 24;
  const SNIPPET_AFTER = 56;
  const QUERY_SHOWN = 20;

  /* Where the query matched: the field (other than the title, which the card shows) holding the most query
     words, first in record order on a tie, as “label：…text around the first match…”. */
  function explainMatch(fields, labels, words) {
    let best = null;
    for (const [label, text] of fields) {
      if (label === 0) continue;
      const match = matchedChars(text, words);
      if (match.found.size && (!best || match.found.size > best.match.found.size)) best = { label, text, match };
    }
    if (!best) return null;
    const { chars, marked } = best.match;
    const first = marked.indexOf(1);
    const from = Math.max(0, first - SNIPPET_BEFORE);
    const to = Math.min(chars.length, first + SNIPPET_AFTER);
    const snippet = (from > 0 ? "……" : "") + chars.slice(from, to).join("") + (to < chars.length ? "……" : "");
    return { label: labels[best.label] || "", snippet };
  }

  /* 2026-03-05 → 2026年3月5日, the site's date format. */
  function chineseDate(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return parts ? `${Number(parts[1])}年${Number(parts[2])}月${Number(parts[3])}日` : iso;
  }

  /* A pasted paragraph is not echoed whole in the status line. */
  function shortQuery(query) {
    const chars = Array.from(query);
    return chars.length > QUERY_SHOWN ? chars.slice(0, QUERY_SHOWN).join("") + "…" : query;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderHit(result, words, siteRoot) {
    const item = element("li", "zl-search-hit");
    item.dataset.id = result.id;
    const link = element("a", "zl-search-hit__title");
    link.href = new URL(`results/${encodeURIComponent(result.id)}/`, siteRoot).href;
    appendHighlighted(link, result.title, words);
    item.appendChild(link);
    const meta = element("p", "zl-search-hit__meta");
    const badges = element("span", "zl-badges"); // one badge, styled as the site's cards style theirs
    badges.appendChild(element("span", /^[a-z0-9-]+$/.test(result.categorySlug) ? `category-${result.categorySlug}` : "", result.category));
    meta.appendChild(badges);
    if (result.unit) {
      const unit = element("span", "zl-search-hit__unit");
      appendHighlighted(unit, result.unit, words);
      meta.appendChild(unit);
    }
    if (result.entered) {
      const time = element("time", "zl-search-hit__date", `${chineseDate(result.entered)}入库`);
      time.dateTime = result.entered;
      meta.appendChild(time);
    }
    item.appendChild(meta);
    const why = element("p", "zl-search-hit__match");
    why.hidden = true;
    item.appendChild(why);
    const summary = element("p", "zl-search-hit__summary");
    appendHighlighted(summary, result.summary, words);
    item.appendChild(summary);
    return item;
  }

  /* Shows where the query matched (“完成人：……”) in place of the summary, once the fields have arrived. */
  function showMatch(item, explained, words) {
    if (!explained) return;
    const why = item.querySelector(".zl-search-hit__match");
    why.replaceChildren(element("span", "zl-search-hit__field", `${explained.label}：`));
    appendHighlighted(why, explained.snippet, words);
    why.hidden = false;
    item.querySelector(".zl-search-hit__summary").hidden = true; // the passage that matched says more
  }

  function baseUrl(list, name, fallback) {
    return new URL(list.dataset[name] || document.documentElement.dataset[name] || fallback, document.baseURI);
  }

  function start() {
    const form = document.getElementById("zl-search-form");
    const input = document.getElementById("zl-search-input");
    const status = document.getElementById("zl-search-status");
    const list = document.getElementById("zl-search-results");
    const more = document.getElementById("zl-search-more");
    const tips = document.getElementById("zl-search-tips");
    if (!form || !input || !status || !list || list.dataset.searchReady) return;
    list.dataset.searchReady = "true"; // Material's instant navigation may call start() again for this page
    const index = new SearchIndex(baseUrl(list, "indexBase", "./"));
    const siteRoot = baseUrl(list, "siteRoot", "../");
    let generation = 0;
    let timer = 0;
    let current = null;

    function rememberQuery(query) {
      const url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url.href);
    }

    async function showMore(run) {
      const batch = current.docs.slice(current.shown, current.shown + PAGE_SIZE);
      const results = await index.results(batch);
      if (run !== generation) return;
      const fragment = document.createDocumentFragment();
      const words = current.words;
      for (const result of results) {
        const item = renderHit(result, words, siteRoot);
        fragment.appendChild(item);
        index.fields(result.doc, result.fieldsVersion).then(({ labels, fields }) => {
          if (run === generation) showMatch(item, explainMatch(fields, labels, words), words);
        }, () => {}); // the card without its match line is still a result
      }
      list.appendChild(fragment);
      current.shown += batch.length;
      if (more) more.hidden = current.shown >= current.docs.length;
    }

    function failed(run) {
      if (run === generation) status.textContent = "搜索索引加载失败，请检查网络后重试。";
    }

    async function search(raw) {
      const run = ++generation;
      window.clearTimeout(timer);
      const query = raw.replace(WHITESPACE, " ").replace(EDGE_SPACES, "");
      rememberQuery(query);
      const words = queryWords(query);
      current = null;
      if (more) more.hidden = true;
      if (tips) tips.hidden = true;
      if (!words.length) {
        list.replaceChildren();
        status.textContent = "";
        return;
      }
      status.textContent = "正在搜索…";
      list.setAttribute("aria-busy", "true");
      try {
        const docs = await index.searchDocs(words);
        if (run !== generation) return;
        current = { docs, words, shown: 0 };
        list.replaceChildren();
        if (docs.length) await showMore(run);
        if (run !== generation) return;
        status.textContent = docs.length ? `找到 ${docs.length} 项包含“${shortQuery(query)}”的成果`
          : `没有找到包含“${shortQuery(query)}”的成果`;
        if (tips) tips.hidden = docs.length > 0;
      } catch (error) {
        failed(run);
      } finally {
        if (run === generation) list.removeAttribute("aria-busy");
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => search(input.value), DEBOUNCE_MS);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      search(input.value);
    });
    if (more) {
      more.addEventListener("click", async () => {
        if (!current || more.disabled) return;
        more.disabled = true; // one page at a time, however fast the clicks
        try {
          await showMore(generation);
        } catch (error) {
          failed(generation);
        } finally {
          more.disabled = false;
        }
      });
    }
    const initial = new URL(window.location.href).searchParams.get("q");
    if (initial) {
      input.value = initial;
      search(initial);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start); // mkdocs-material with instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

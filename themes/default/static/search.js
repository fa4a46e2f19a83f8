// Search with the Pagefind index written at build time (pagefind/): the index is fetched in
// chunks as the reader types. Without JavaScript the forms stay hidden and the page links to the
// indexes instead. Result titles and kinds are set as text; excerpts are Pagefind's HTML, built
// from content that sitrep escaped, with <mark> around the matches.
//
// The index is split into shards so that watch mode re-indexes only the shards an edit touches:
// the first is pagefind/ itself, pagefind/shards.json lists the others, and each is merged into
// the first (Pagefind's mergeIndex), so one search covers them all, results ranked together.
let loading;
function load(base) {
  loading ??= (async () => {
    const pf = await import(base + "pagefind/pagefind.js");
    try {
      await pf.options({ baseUrl: base });
      const listed = await fetch(base + "pagefind/shards.json", { cache: "no-cache" });
      if (!listed.ok) throw new Error(`${listed.status} fetching pagefind/shards.json`);
      const { shards } = await listed.json();
      await Promise.all(shards.map((dir) => pf.mergeIndex(base + "pagefind/" + dir, { baseUrl: base })));
    } catch (e) {
      // Start from nothing next time, not from a half-merged index.
      await pf.destroy();
      throw e;
    }
    return pf;
  })();
  // A failed load is tried again on the next keystroke.
  loading.catch(() => { loading = undefined; });
  return loading;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function render(out, query, results, total) {
  out.replaceChildren();
  out.hidden = false;
  out.append(el("p", "muted search-count", total === 0 ? `No results for “${query}”.` : `${total} result${total === 1 ? "" : "s"} for “${query}”`));
  if (total === 0) return;
  const list = el("ol", "search-list");
  for (const r of results) {
    const li = el("li", "search-result");
    li.dataset.kind = r.meta.kind || "";
    const head = el("p", "search-head");
    head.append(el("span", "kind", r.meta.kind_label || r.meta.kind || ""), " ");
    const a = el("a", null, r.meta.title || r.url);
    a.href = r.url;
    head.append(a);
    li.append(head);
    const excerpt = el("p", "search-excerpt");
    excerpt.innerHTML = r.excerpt;
    li.append(excerpt);
    list.append(li);
  }
  out.append(list);
}

function wire(form) {
  const base = form.dataset.base || "/";
  const input = form.querySelector("input[type=search]");
  const out = form.querySelector(".search-results");
  const limit = form.dataset.full !== undefined ? 50 : 8;
  let seq = 0;
  async function run() {
    const query = input.value.trim();
    const mine = ++seq;
    if (!query) {
      out.hidden = true;
      out.replaceChildren();
      return;
    }
    try {
      const pf = await load(base);
      const search = await pf.debouncedSearch(query, {}, 150);
      if (search === null || mine !== seq) return;
      const results = await Promise.all(search.results.slice(0, limit).map((r) => r.data()));
      if (mine !== seq) return;
      render(out, query, results, search.results.length);
    } catch (e) {
      out.hidden = false;
      out.replaceChildren(el("p", "note", "Search is unavailable here (the index loads over http, not from a file)."));
    }
  }
  input.addEventListener("input", run);
  form.hidden = false;
  if (form.dataset.full !== undefined) {
    const q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      run();
    }
  }
  return { input, run };
}

const forms = [...document.querySelectorAll("form[data-search]")];
for (const form of forms) wire(form);
// On the search page the page's own box is the one to use.
if (forms.some((f) => f.dataset.full !== undefined)) {
  const header = forms.find((f) => f.dataset.full === undefined);
  if (header) header.hidden = true;
}
document.documentElement.classList.add("js-search");

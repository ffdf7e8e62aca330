/* stratdocs offline search. The index comes from search-index.js (window.STRATDOCS_SEARCH), loaded
   by a <script> tag so it works from file://. Results are built with createElement/textContent only:
   index data is never parsed as HTML. Runs on every page; does nothing where its elements are absent. */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var FOLDED = new WeakMap();
  var HEALTH = { "green": "Green", "amber": "Amber", "red": "Red", "no-data": "No data" };
  // English defaults; the search page gives them in the plan's language as data-msg-* attributes
  // on its form (text read with getAttribute: never parsed as HTML).
  var MESSAGES = {
    "unavailable": "The search index could not be loaded, so search is unavailable.",
    "prompt": "Type to search {count} pages of the plan.",
    "none": "No results for \u201c{query}\u201d. Try fewer or shorter words.",
    "first": "Showing the first {max} of {results} for \u201c{query}\u201d.",
    "found": "{results} for \u201c{query}\u201d.",
    "results-zero": "{count} results", "results-one": "{count} result", "results-many": "{count} results",
    "untitled": "Untitled"
  };

  function loadMessages(form) {
    var keys = Object.keys(MESSAGES).concat(Object.keys(HEALTH));
    for (var i = 0; i < keys.length; i++) {
      var text = form && form.getAttribute("data-msg-" + keys[i]);
      if (text === null || text === undefined || text === "") continue;
      if (HEALTH.hasOwnProperty(keys[i])) HEALTH[keys[i]] = text; else MESSAGES[keys[i]] = text;
    }
  }

  // A message with its {name} placeholders filled in (plain text; numbers in the page's language).
  function say(key, values) {
    var text = MESSAGES[key];
    for (var name in values) {
      if (values.hasOwnProperty(name)) text = text.split("{" + name + "}").join(String(values[name]));
    }
    return text;
  }

  function count(n) {
    var lang = (document.documentElement && document.documentElement.getAttribute("lang")) || undefined;
    try { return n.toLocaleString(lang); } catch (e) { return String(n); }
  }

  // Index hrefs are site-root-relative; refuse anything with a scheme or starting with "/" or "\\".
  function pageHref(href) {
    var r = (document.body && document.body.getAttribute("data-root")) || "";
    href = String(href || "");
    if (!href || /^([a-z][a-z0-9+.-]*:|[\/\\])/i.test(href)) return null;
    return (r && r.charAt(r.length - 1) !== "/" ? r + "/" : r) + href;
  }

  // Case, accents and ß folded, so "massnahme" finds "Maßnahme" and "cafe" finds "Café".
  var COMBINING = /[\u0300-\u036f]/g;
  function foldChar(c) {
    var f = c.normalize ? c.normalize("NFKD").replace(COMBINING, "") : c;
    f = f.toLowerCase();
    return f === "\u00df" || f === "\u1e9e" ? "ss" : f;
  }
  function norm(s) {
    s = String(s == null ? "" : s);
    var plain = true;
    for (var i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) { plain = false; break; }
    if (plain) return s.toLowerCase();
    var out = "";
    for (var j = 0; j < s.length; j++) out += foldChar(s.charAt(j));
    return out;
  }
  // The folded text and, for each of its characters, the index of the character it came from.
  function foldMap(s) {
    var out = "", map = [];
    for (var i = 0; i < s.length; i++) {
      var f = foldChar(s.charAt(i));
      for (var k = 0; k < f.length; k++) map.push(i);
      out += f;
    }
    map.push(s.length);
    return { text: out, map: map };
  }

  function tokenize(q) {
    var seen = {}, out = [];
    norm(q).split(/\s+/).forEach(function (t) {
      t = t.replace(/^["'“”‘’(]+|["'“”‘’),.;:!?]+$/g, "");
      if (t && !seen[t]) { seen[t] = true; out.push(t); }
    });
    return out;
  }

  function score(doc, tokens) {
    var f = FOLDED.get(doc);
    if (!f) {  // folded once per page view, not once per keystroke
      f = { id: norm(doc.id), title: norm(doc.title), summary: norm(doc.summary),
            meta: norm([doc.kind, doc.kind_label, doc.owner].join(" ")), text: norm(doc.text) };
      FOLDED.set(doc, f);
    }
    var id = f.id, title = f.title, summary = f.summary, meta = f.meta, text = f.text;
    var total = 0;
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i], s = 0;
      if (id === t) s = 100;
      else if (id.indexOf(t) === 0) s = 60;
      else if (title.indexOf(t) !== -1) s = (" " + title).indexOf(" " + t) !== -1 ? 40 : 30;
      else if (id.indexOf(t) !== -1) s = 25;
      else if (summary.indexOf(t) !== -1) s = 12;
      else if (meta.indexOf(t) !== -1) s = 6;
      else if (text.indexOf(t) !== -1) s = 2;
      if (!s) return 0;               // every token must match somewhere
      total += s;
    }
    return total;
  }

  function search(docs, tokens) {
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      if (!d || typeof d !== "object") continue;
      var s = score(d, tokens);
      if (s) hits.push({ doc: d, score: s, order: i });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits;
  }

  // Append `text` to `el`, wrapping every occurrence of a token in <mark> (matched folded, marked
  // on the original characters).
  function highlight(el, text, tokens) {
    var folded = foldMap(text), low = folded.text, map = folded.map, at0 = 0, pos = 0;
    while (at0 < low.length) {
      var best = -1, len = 0;
      for (var i = 0; i < tokens.length; i++) {
        var at = low.indexOf(tokens[i], at0);
        if (at !== -1 && (best === -1 || at < best || (at === best && tokens[i].length > len))) {
          best = at; len = tokens[i].length;
        }
      }
      if (best === -1) break;
      var from = map[best], to = map[best + len - 1] + 1;
      if (from < pos) { at0 = best + 1; continue; }
      if (from > pos) el.appendChild(document.createTextNode(text.slice(pos, from)));
      var m = document.createElement("mark");
      m.textContent = text.slice(from, to);
      el.appendChild(m);
      pos = to;
      at0 = best + len;
    }
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  // A window of the summary or body text around the first match (or the summary's start).
  function snippet(doc, tokens) {
    var sources = [String(doc.summary || ""), String(doc.text || "")];
    for (var s = 0; s < sources.length; s++) {
      var src = sources[s].replace(/\s+/g, " ").trim(), folded = foldMap(src), first = -1;
      for (var i = 0; i < tokens.length; i++) {
        var at = folded.text.indexOf(tokens[i]);
        if (at !== -1 && (first === -1 || folded.map[at] < first)) first = folded.map[at];
      }
      if (first !== -1) {
        var start = Math.max(0, first - 60), end = Math.min(src.length, start + 200);
        if (start > 0) { var sp = src.indexOf(" ", start); if (sp !== -1 && sp < first) start = sp + 1; }
        return (start > 0 ? "…" : "") + src.slice(start, end) + (end < src.length ? "…" : "");
      }
    }
    var fallback = String(doc.summary || doc.text || "").replace(/\s+/g, " ").trim();
    return fallback.length > 200 ? fallback.slice(0, 200) + "…" : fallback;
  }

  function addSpan(parent, cls, text) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = String(text);
    parent.appendChild(document.createTextNode(" "));
    parent.appendChild(span);
  }

  function resultItem(doc, tokens) {
    var li = document.createElement("li");
    var label = doc.id && doc.title ? doc.id + " · " + doc.title : String(doc.title || doc.id || MESSAGES.untitled);
    var href = pageHref(doc.href), a = document.createElement(href ? "a" : "span");
    if (href) a.setAttribute("href", href);
    highlight(a, String(label), tokens);
    li.appendChild(a);
    var h = norm(doc.health).replace(/[_ ]/g, "-");
    if (doc.kind_label || doc.kind) addSpan(li, "kind", doc.kind_label || doc.kind);
    if (HEALTH.hasOwnProperty(h)) addSpan(li, "badge health-" + h, HEALTH[h]);
    var text = snippet(doc, tokens);
    if (text) {
      var p = document.createElement("p");
      p.className = "snippet";
      highlight(p, text, tokens);
      li.appendChild(p);
    }
    return li;
  }

  function plural(n) { return say(n === 0 ? "results-zero" : n === 1 ? "results-one" : "results-many", {count: count(n)}); }

  function run(query, status, list) {
    var index = window.STRATDOCS_SEARCH;
    var docs = index && Array.isArray(index.docs) ? index.docs : null;
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!docs) {
      status.textContent = say("unavailable", {});
      return;
    }
    var tokens = tokenize(query), shown = query.trim();
    if (!tokens.length) {
      status.textContent = say("prompt", {count: count(docs.length)});
      return;
    }
    var hits = search(docs, tokens), frag = document.createDocumentFragment();
    for (var i = 0; i < hits.length && i < MAX_RESULTS; i++) frag.appendChild(resultItem(hits[i].doc, tokens));
    list.appendChild(frag);
    if (!hits.length) status.textContent = say("none", {query: shown});
    else if (hits.length > MAX_RESULTS) {
      status.textContent = say("first", {max: count(MAX_RESULTS), results: plural(hits.length), query: shown});
    } else status.textContent = say("found", {results: plural(hits.length), query: shown});
  }

  function queryFromUrl() {
    var m = /[?&]q=([^&#]*)/.exec(window.location.search || "");
    if (!m) return "";
    try { return decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { return ""; }
  }

  function setUrl(q) {
    try {
      var url = window.location.pathname + (q ? "?q=" + encodeURIComponent(q) : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    } catch (e) { /* file:// in some browsers: keep the old URL */ }
  }

  function initSearchPage() {
    var input = document.getElementById("search-input");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!input || !status || !list) return;
    loadMessages(input.form);
    var timer = null, q = queryFromUrl();
    input.value = q;
    var header = document.querySelector(".search-box input[name=q]");
    if (header && q) header.value = q;
    run(q, status, list);
    function go() { clearTimeout(timer); run(input.value, status, list); setUrl(input.value.trim()); }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(go, 150); });
    if (input.form) input.form.addEventListener("submit", function (e) { e.preventDefault(); go(); });
  }

  // "/" focuses the header search box, unless the user is typing somewhere.
  function onKey(e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target, tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return;
    var box = document.getElementById("search-input") || document.querySelector(".search-box input");
    if (!box) return;
    e.preventDefault();
    box.focus();
    if (box.select) box.select();
  }

  function init() {
    document.addEventListener("keydown", onKey);
    initSearchPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

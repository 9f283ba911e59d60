// citypolicy search: names, aliases, pinyin, English, policy titles and short names, instruments and
// quotes, in Simplified or Traditional script, with typos. The index (search-index.js) is built with
// the project's own folding and pinyin, and loaded the first time the box is used, so the search
// works from file:// without a server. Scoring follows `citypolicy search` (ask/resolve.py).
(function () {
  "use strict";
  var INDEX = null;
  var LIMIT = 10;
  var THRESHOLD = 75;

  function loadIndex(form, done) {
    if (window.CITYPOLICY_SEARCH) { INDEX = window.CITYPOLICY_SEARCH; done(); return; }
    if (form.dataset.loading) { form.addEventListener("citypolicy-index", done, { once: true }); return; }
    form.dataset.loading = "1";
    var script = document.createElement("script");
    script.src = form.dataset.index;
    script.onload = function () {
      INDEX = window.CITYPOLICY_SEARCH;
      done();
      form.dispatchEvent(new Event("citypolicy-index"));
    };
    document.head.appendChild(script);
  }

  // The query folded as the index keys were: NFKC, Traditional -> Simplified, one form of each
  // punctuation mark, no spaces, hyphens or underscores, lower case.
  function fold(text) {
    var out = "";
    var chars = Array.from(text.normalize("NFKC"));
    for (var i = 0; i < chars.length; i++) {
      var c = INDEX.fold[chars[i]] || chars[i];
      c = INDEX.punct[c] || c;
      if (!/\s/.test(c)) out += c;
    }
    return out.toLowerCase().replace(/[-_]/g, "");
  }

  function lcs(a, b) {
    var prev = new Array(b.length + 1).fill(0), cur = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      var swap = prev; prev = cur; cur = swap;
    }
    return prev[b.length];
  }

  // rapidfuzz's ratio: 100 × 2·LCS / (|a| + |b|).
  function ratio(a, b) {
    return a.length + b.length === 0 ? 100 : (200 * lcs(a, b)) / (a.length + b.length);
  }

  // The best ratio of the shorter text against any window of the longer one.
  function partialRatio(a, b) {
    var short = a.length <= b.length ? a : b, long = a.length <= b.length ? b : a;
    var best = 0;
    for (var start = -short.length + 1; start < long.length; start++) {
      var window = long.slice(Math.max(0, start), Math.max(0, start + short.length));
      if (window) best = Math.max(best, ratio(short, window));
      if (best === 100) break;
    }
    return best;
  }

  function score(key, field, entry) {
    if (!key) return 0;
    if (key === entry) return 100;
    if (field === "q") return key.length >= 2 && entry.indexOf(key) >= 0 ? 90 : 0;
    if (entry.indexOf(key) >= 0) return 95 - Math.min(20, (entry.length - key.length) * 0.5);
    if (field === "p" && key.length <= 3) return 0;
    return entry.length <= 3 * key.length ? ratio(key, entry) : partialRatio(key, entry) * 0.9;
  }

  function search(query) {
    var key = fold(query);
    var keys = [key];
    if (INDEX.synonyms[key]) keys.push(INDEX.synonyms[key]);
    var best = {};
    INDEX.keys.forEach(function (row) {
      var item = row[0], field = row[1], entry = row[2];
      var s = 0;
      keys.forEach(function (k) { s = Math.max(s, score(k, field, entry)); });
      if (s >= THRESHOLD && (best[item] === undefined || s > best[item])) best[item] = s;
    });
    var order = INDEX.kinds;
    return Object.keys(best).map(Number).sort(function (a, b) {
      return best[b] - best[a] || order.indexOf(INDEX.items[a][0]) - order.indexOf(INDEX.items[b][0]) || a - b;
    }).slice(0, LIMIT).map(function (i) { return { item: INDEX.items[i], score: best[i] }; });
  }

  function option(hit, index, root) {
    var item = hit.item; // kind, zh, en, href, where_zh, where_en
    var li = document.createElement("li");
    li.setAttribute("role", "option");
    li.id = "search-option-" + index;
    li.dataset.kind = item[0];
    var a = document.createElement("a");
    a.href = root + item[3];
    a.tabIndex = -1;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.appendChild(window.citypolicyPhrase("kind." + item[0]));
    var zh = document.createElement("span");
    zh.className = "name-zh";
    zh.lang = item[0] === "quote" ? "zh" : "zh-Hans";
    zh.textContent = item[1];
    a.appendChild(kind);
    a.appendChild(zh);
    if (item[2] && item[2] !== item[1]) {
      var en = document.createElement("span");
      en.className = "name-en sub";
      en.lang = "en";
      en.textContent = " " + item[2];
      a.appendChild(en);
    }
    if (item[4] || item[5]) {
      var where = document.createElement("small");
      where.className = "where";
      var wen = document.createElement("span"), wzh = document.createElement("span");
      wen.className = wzh.className = "t";
      wen.lang = "en"; wzh.lang = "zh-Hans";
      wen.textContent = item[5]; wzh.textContent = item[4];
      where.appendChild(wen); where.appendChild(wzh);
      a.appendChild(where);
    }
    li.appendChild(a);
    return li;
  }

  function init(form) {
    var input = form.querySelector("input");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[role=status]");
    var root = document.documentElement.getAttribute("data-root") || "";
    var active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function update() {
      var query = input.value.trim();
      if (!query) { close(); status.textContent = ""; return; }
      loadIndex(form, function () {
        if (input.value.trim() !== query) return;
        var hits = search(query);
        list.textContent = "";
        hits.forEach(function (hit, i) { list.appendChild(option(hit, i, root)); });
        if (!hits.length) {
          var li = document.createElement("li");
          li.className = "empty";
          li.appendChild(window.citypolicyPhrase("no_match", { q: query }));
          list.appendChild(li);
        }
        status.textContent = "";
        status.appendChild(window.citypolicyPhrase(hits.length ? "results" : "no_match", { n: hits.length, q: query }));
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
        if (hits.length) highlight(0);
      });
    }

    input.addEventListener("input", update);
    input.addEventListener("focus", function () { loadIndex(form, function () {}); if (input.value.trim()) update(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var options = list.querySelectorAll("[role=option] a");
      if (options.length) location.href = options[Math.max(active, 0)].href;
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) close(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.search"), init);
  });
})();

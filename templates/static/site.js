// citypolicy: language, sortable and filterable tables, and where a reader lands from a figure.
// Small and vanilla; every page reads without it. Strings come from the page's #ui-strings block.
(function () {
  "use strict";
  var KEY = "citypolicy-lang";
  var STRINGS = {};

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // Both languages of a string, as the templates write them: the stylesheet shows one.
  function phrase(key, values) {
    var entry = STRINGS[key] || { en: key, zh: key };
    var out = document.createDocumentFragment();
    [["en", entry.en], ["zh-Hans", entry.zh]].forEach(function (pair) {
      var span = document.createElement("span");
      span.className = "t";
      span.lang = pair[0];
      var lang = pair[0] === "en" ? "en" : "zh";
      span.textContent = pair[1].replace(/\{(\w+)\}/g, function (_, name) {
        var value = values && values[name];
        if (value && typeof value === "object") return value[lang];
        return value === undefined ? "" : String(value);
      });
      out.appendChild(span);
    });
    return out;
  }
  window.citypolicyPhrase = phrase;

  // ------------------------------------------------------------------ language

  function setLang(lang) {
    var root = document.documentElement;
    root.lang = lang;
    var zh = lang !== "en";
    document.title = root.getAttribute(zh ? "data-title-zh" : "data-title-en") || document.title;
    each("[data-label-zh]", function (el) {
      el.setAttribute("aria-label", el.getAttribute(zh ? "data-label-zh" : "data-label-en"));
    });
    each("[data-text-zh]", function (el) { // text that cannot hold both languages, e.g. an <option>
      el.textContent = el.getAttribute(zh ? "data-text-zh" : "data-text-en");
    });
    try { localStorage.setItem(KEY, lang); } catch (e) { /* file:// may forbid storage */ }
    // A page opened with ?lang= keeps the reader's latest choice when reloaded or shared.
    if (/[?&]lang=/.test(location.search) && window.history && history.replaceState) {
      var search = location.search.replace(/([?&]lang=)[^&#]*/, "$1" + (zh ? "zh" : "en"));
      try { history.replaceState(history.state, "", search + location.hash); } catch (e) { /* file:// */ }
    }
  }

  function initLang() {
    setLang(document.documentElement.lang === "zh-Hans" ? "zh-Hans" : "en");
    var button = document.getElementById("lang-toggle");
    if (button) button.addEventListener("click", function () {
      setLang(document.documentElement.lang === "en" ? "zh-Hans" : "en");
    });
  }

  // ------------------------------------------------------------------ sorting

  // A cell sorts by its data-value (the figure's exact value); cells without one are gaps and go
  // last whichever the direction. Figures of different units (¥, %, counts) are kept apart.
  function sortKey(cell, numeric) {
    if (!cell) return null;
    if (numeric) {
      if (cell.dataset.value === undefined || cell.dataset.value === "") return null;
      return { unit: cell.dataset.unit || "", value: parseFloat(cell.dataset.value) };
    }
    if (cell.classList.contains("gap") || cell.querySelector(".gap")) return null;
    var text = shownText(cell).replace(/\s+/g, " ").trim();
    return text === "" || text === "—" ? null : { unit: "", value: text };
  }

  // The words a reader sees: a cell holds both languages, and the hidden one must not decide the order.
  function shownText(cell) {
    var english = document.documentElement.lang === "en";
    var copy = cell.cloneNode(true);
    each(".t", function (span) {
      if ((span.lang === "en") !== english) span.remove();
    }, copy);
    if (!english) each(".name-en", function (span) { span.remove(); }, copy);
    return copy.textContent;
  }

  function compare(x, y, ascending) {
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    var order;
    if (x.unit !== y.unit) order = x.unit < y.unit ? -1 : 1;
    else if (typeof x.value === "number") order = x.value - y.value;
    else order = x.value.localeCompare(y.value, document.documentElement.lang);
    return ascending ? order : -order;
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var numeric = th.dataset.sort === "number";
        // Numbers are read largest first; words from A (or 一) on.
        var ascending = th.getAttribute("aria-sort") === "none" ? !numeric : th.getAttribute("aria-sort") !== "ascending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, position) {
          return { row: row, key: sortKey(row.cells[index], numeric), position: position };
        });
        keyed.sort(function (a, b) { return compare(a.key, b.key, ascending) || a.position - b.position; });
        keyed.forEach(function (item) { body.appendChild(item.row); });
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  // ------------------------------------------------------------------ filtering

  function fold(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function makeFilter(input) {
    var scope = document.getElementById(input.dataset.filter);
    var none = document.getElementById(input.dataset.filter + "-none");
    if (!scope) return;
    var rows = Array.prototype.slice.call(scope.querySelectorAll("tbody tr"));
    var haystacks = rows.map(function (row) { return fold(row.textContent + " " + (row.dataset.keys || "")); });
    input.addEventListener("input", function () {
      var needle = fold(input.value);
      var shown = 0;
      rows.forEach(function (row, i) {
        row.hidden = needle !== "" && haystacks[i].indexOf(needle) < 0;
        if (!row.hidden) shown += 1;
      });
      // A year of the targets timeline without a matching row disappears with its heading.
      each("li.year", function (year) {
        year.hidden = !year.querySelector("tbody tr:not([hidden])");
      }, scope);
      if (scope.tagName === "TABLE") scope.hidden = shown === 0;
      if (none) none.hidden = shown !== 0;
    });
  }

  // ------------------------------------------------------------------ landing on a passage

  // A passage may be split by other passages that overlap it: light up all of the linked one.
  function showLinkedPassage() {
    var id = decodeURIComponent(location.hash.slice(1));
    each("mark.current", function (m) { m.classList.remove("current"); });
    if (!id) return;
    each("mark[data-cites]", function (m) {
      if (m.dataset.cites.split(" ").indexOf(id) >= 0) m.classList.add("current");
    });
  }

  function param(name) {
    var found = new RegExp("[?&]" + name + "=([^&#]*)").exec(location.search);
    return found ? decodeURIComponent(found[1].replace(/\+/g, " ")) : null;
  }

  // Only a page of this site may be linked back to: a relative path, no scheme, no way up.
  function safeBack(from) {
    return from && /^[A-Za-z0-9_\-\/.]+\.html(#[A-Za-z0-9_\-]+)?$/.test(from) && from.indexOf("..") < 0 ? from : null;
  }

  function pageName(path, data) {
    var page = path.split("#")[0];
    if (data.pages[page]) return data.pages[page];
    var fixed = { "index.html": "page.index", "vouchers.html": "page.vouchers", "targets.html": "page.targets", "data.html": "page.data" };
    var key = fixed[page];
    return key && STRINGS[key] ? STRINGS[key] : null;
  }

  function showProvenance() {
    var box = document.getElementById("provenance");
    var block = document.getElementById("banner-data");
    if (!box || !block) return;
    var data = JSON.parse(block.textContent);
    var fig = param("fig");
    var from = safeBack(param("from"));
    each(".figure.followed", function (el) { el.classList.remove("followed"); });
    if (!fig && !from) { box.hidden = true; return; }
    box.textContent = "";
    var p = document.createElement("p");
    var record = fig ? fig.split(":")[0] : null;
    var what = record && data.records[record];
    var figure = fig && data.figs[fig];
    if (figure && what) {
      p.appendChild(phrase("followed", {
        figure: { en: figure.en, zh: figure.zh },
        what: { en: what.en + ", " + figure.field_en, zh: what.zh + " · " + figure.field_zh }
      }));
      each(".figure[data-figs]", function (el) {
        if (el.dataset.figs.split(" ").indexOf(fig) >= 0) el.classList.add("followed");
      });
    } else if (what) {
      p.appendChild(phrase("followed_passage", { what: what }));
    }
    box.appendChild(p);
    if (from) {
      var root = document.documentElement.getAttribute("data-root") || "";
      var back = document.createElement("a");
      back.className = "back";
      back.href = root + from;
      var name = pageName(from, data);
      back.appendChild(document.createTextNode("← "));
      back.appendChild(name ? phrase("back_to", { page: name }) : phrase("back"));
      box.appendChild(back);
    }
    box.hidden = false;
    // The banner stays on top while reading: the passage is brought back into view below it.
    document.documentElement.style.setProperty("--banner", box.offsetHeight + "px");
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView({ block: "start" });
  }

  // ------------------------------------------------------------------ reading view

  function initReadingView() {
    var article = document.querySelector(".article");
    var buttons = document.querySelectorAll("button.reading-view");
    if (!article || !buttons.length) return;
    function show(view) {
      article.classList.toggle("simplified", view === "simplified");
      Array.prototype.forEach.call(buttons, function (b) {
        b.setAttribute("aria-pressed", String(b.dataset.view === view));
      });
      try { localStorage.setItem("citypolicy-reading", view); } catch (e) { /* no storage */ }
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () { show(b.dataset.view); });
    });
    var saved = null;
    try { saved = localStorage.getItem("citypolicy-reading"); } catch (e) { saved = null; }
    if (saved === "simplified") show(saved);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var block = document.getElementById("ui-strings");
    if (block) STRINGS = JSON.parse(block.textContent);
    initLang();
    showLinkedPassage();
    showProvenance();
    window.addEventListener("hashchange", function () { showLinkedPassage(); showProvenance(); });
    each("table.sortable", makeSortable);
    each("input[data-filter]", makeFilter);
    initReadingView();
  });
})();

// citypolicy: the zh/en toggle, sortable and filterable tables. Small and vanilla; pages work without it.
(function () {
  "use strict";
  var KEY = "citypolicy-lang";

  function setLang(lang) {
    document.documentElement.lang = lang;
    var button = document.getElementById("lang-toggle");
    if (button) button.textContent = lang === "en" ? "中文" : "English";
    try { localStorage.setItem(KEY, lang); } catch (e) { /* file:// may forbid storage */ }
  }

  function initLang() {
    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved === "en" || saved === "zh-Hans") setLang(saved);
    var button = document.getElementById("lang-toggle");
    if (button) button.addEventListener("click", function () {
      setLang(document.documentElement.lang === "en" ? "zh-Hans" : "en");
    });
  }

  function cellValue(cell, numeric) {
    if (cell.dataset.value !== undefined) return parseFloat(cell.dataset.value);
    var text = cell.textContent.trim();
    return numeric ? parseFloat(text.replace(/[^0-9.\-]/g, "")) || 0 : text;
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
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[index] || a.cells[0], numeric), y = cellValue(b.cells[index] || b.cells[0], numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  function makeFilter(input) {
    var table = document.getElementById(input.dataset.filter);
    if (!table) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
  }

  // A passage may be split by other passages that overlap it: light up all of the linked one.
  function showLinkedPassage() {
    var id = decodeURIComponent(location.hash.slice(1));
    Array.prototype.forEach.call(document.querySelectorAll("mark.current"), function (m) { m.classList.remove("current"); });
    if (!id) return;
    Array.prototype.forEach.call(document.querySelectorAll("mark[data-cites]"), function (m) {
      if (m.dataset.cites.split(" ").indexOf(id) >= 0) m.classList.add("current");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initLang();
    showLinkedPassage();
    window.addEventListener("hashchange", showLinkedPassage);
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), makeFilter);
  });
})();

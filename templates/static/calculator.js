// The subsidy calculator: the same computation as `citypolicy subsidy` (queries.payout), in exact
// integer fen (BigInt) so that the page and the command line agree to the cent.
(function () {
  "use strict";

  function parseFen(text, unit) {
    var clean = String(text).replace(/[,\s¥￥]/g, "");
    if (!/^\d+(\.\d+)?$/.test(clean)) return null;
    var parts = clean.split(".");
    var decimals = parts[1] || "";
    var scale = BigInt(unit) * 100n; // fen per unit
    var whole = BigInt(parts[0]) * scale;
    var fraction = decimals ? BigInt(decimals) * scale / (10n ** BigInt(decimals.length)) : 0n;
    var total = whole + fraction;
    return total > 0n ? total : null;
  }

  function roundDiv(numerator, denominator) { // half up, both positive
    return (numerator * 2n + denominator) / (denominator * 2n);
  }

  function group(n) { return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function cny(fen) {
    var yuan = fen / 100n, rest = fen % 100n;
    var text = "¥" + group(yuan);
    if (rest !== 0n) text += "." + rest.toString().padStart(2, "0").replace(/0$/, "");
    return text;
  }

  function percent(bp) {
    var whole = Math.floor(bp / 100), rest = bp % 100;
    return rest ? (bp / 100).toString() + "%" : whole + "%";
  }

  function eligible(inst, startup, beneficiary) {
    var named = inst.beneficiaries.concat(inst.tiers.map(function (t) { return t.group; }));
    if (named.length === 0) return null;
    if (named.indexOf(beneficiary) >= 0) return true;
    if (beneficiary === "enterprise" && startup) return named.indexOf("startup") >= 0 || named.indexOf("sme") >= 0;
    return false;
  }

  function payout(inst, spend, startup, beneficiary) {
    var result = { inst: inst, eligible: eligible(inst, startup, beneficiary), amount: null, steps: [] };
    if (result.eligible === false) { result.steps.push("not open to this applicant"); return result; }
    var tier = null;
    inst.tiers.forEach(function (t) { if (!tier && startup && t.group === "startup" && t.rate !== null) tier = t; });
    var rate = tier ? tier.rate : inst.rate;
    var cap = tier && tier.cap ? tier.cap : inst.cap;
    if (rate === null) { result.steps.push("rate not stated in the sources"); return result; }
    var gross = roundDiv(spend * BigInt(rate), 10000n);
    var step = (tier ? "startup rate: " : "") + (inst.rateAtMost && !tier ? "up to " : "") + percent(rate) + " × " + cny(spend) + " = " + cny(gross);
    if (cap === null) {
      result.amount = gross;
      step += ", cap not stated in the sources";
    } else {
      var limit = cap.years ? roundDiv(BigInt(cap.fen), BigInt(cap.years)) : BigInt(cap.fen);
      var when = cap.years ? " a year" : cap.period === "year" ? " a year" : cap.period === "total" ? " in total" : "";
      if (gross > limit) { result.amount = limit; step += ", capped at " + cny(limit) + when; }
      else { result.amount = gross; step += ", under the " + cny(limit) + " cap" + when; }
    }
    result.steps.push(step);
    if (result.eligible === null) result.steps.push("who may claim it is not stated in the sources");
    return result;
  }

  function compute(data, spend, startup, beneficiary) {
    var byCity = {}, order = [];
    data.forEach(function (inst) {
      if (!byCity[inst.city]) { byCity[inst.city] = []; order.push(inst.city); }
      byCity[inst.city].push(payout(inst, spend, startup, beneficiary));
    });
    var ranked = [], separate = [], other = [];
    order.forEach(function (city) {
      var good = byCity[city].filter(function (p) { return p.amount !== null && p.eligible !== false; });
      good.sort(function (a, b) { return a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1; });
      byCity[city].forEach(function (p) { if (good.indexOf(p) < 0) other.push(p); });
      if (good.length) { ranked.push(good[0]); separate = separate.concat(good.slice(1)); }
    });
    ranked.sort(function (a, b) {
      if (a.amount !== b.amount) return a.amount > b.amount ? -1 : 1;
      return a.inst.cityName.en < b.inst.cityName.en ? -1 : a.inst.cityName.en > b.inst.cityName.en ? 1 : 0;
    });
    return { ranked: ranked, separate: separate, other: other };
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function nameText(n) { return n.zh + " " + n.en; }

  function render(result) {
    var body = document.querySelector("#calc-results tbody");
    body.textContent = "";
    result.ranked.forEach(function (p, index) {
      var row = document.createElement("tr");
      row.dataset.city = p.inst.city;
      row.dataset.instrument = p.inst.id;
      row.dataset.fen = p.amount.toString();
      cell(row, String(index + 1));
      cell(row, nameText(p.inst.placeName));
      cell(row, nameText(p.inst.name));
      cell(row, cny(p.amount), "num");
      cell(row, p.steps.join("; "));
      body.appendChild(row);
    });
    var notes = document.getElementById("calc-separate");
    notes.textContent = "";
    function list(title, items) {
      if (!items.length) return;
      var h = document.createElement("h3"); h.textContent = title; notes.appendChild(h);
      var ul = document.createElement("ul");
      items.forEach(function (p) {
        var li = document.createElement("li");
        li.dataset.instrument = p.inst.id;
        if (p.amount !== null) li.dataset.fen = p.amount.toString();
        li.textContent = nameText(p.inst.placeName) + " — " + nameText(p.inst.name) + (p.amount !== null ? ": " + cny(p.amount) : "") + " (" + p.steps.join("; ") + ")";
        ul.appendChild(li);
      });
      notes.appendChild(ul);
    }
    list("Also available in the same city — stacking not stated in the sources, not added up / 同城其他政策（是否可叠加来源未说明）", result.separate);
    list("Cannot be computed or not open to this applicant / 无法计算或不适用", result.other);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = JSON.parse(document.getElementById("calc-data").textContent);
    var form = document.getElementById("calc");
    var error = document.getElementById("calc-error");
    function update() {
      var spend = parseFen(form.spend.value, form.unit.value);
      if (spend === null) { error.textContent = "Enter an amount, e.g. 1000 (万元) / 请输入金额"; return; }
      error.textContent = "";
      render(compute(data, spend, form.startup.checked, form.beneficiary.value));
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
})();

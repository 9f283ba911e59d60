// The subsidy calculator: `citypolicy subsidy` in the browser. The rules (who may claim, which tier,
// which cases a class or a condition opens) come precomputed from the same Python code
// (ask/calculator.py calculator_cases); this script does only the arithmetic, in exact integer fen
// (BigInt, half up, as the command line does), and the grouping: definite amounts ranked, every
// case that depends on something unstated shown as its own line, caps not stated never ranked.
(function () {
  "use strict";

  var MAX_FEN = 10n ** 14n; // ¥1,000,000,000,000 (1万亿), the command line's limit
  var MAGNITUDES = { "万": 10000n, "亿": 100000000n, "万亿": 1000000000000n, "兆": 1000000000000n };
  var ENGLISH = { "": 1n, k: 1000n, m: 1000000n, mn: 1000000n, b: 1000000000n, bn: 1000000000n };

  // The spend as {units, scale}: fen = units / scale. Accepts what `--spend` accepts:
  // 1200万, 1.2亿, 12000000, 12M, 1.2bn, ¥12,000,000, full-width digits.
  function parseSpend(text) {
    var clean = String(text).normalize("NFKC").trim().replace(/^[¥￥]\s*/, "");
    var match = /^(\d+(?:,\d{3})*(?:\.\d+)?)\s*(?:(k|m|mn|b|bn)\s*(?:yuan|cny|rmb)?|(万亿|兆|亿|万)?\s*元?|(?:yuan|cny|rmb))$/i.exec(clean);
    if (!match) return null;
    var digits = match[1].replace(/,/g, "");
    var parts = digits.split(".");
    var decimals = parts[1] || "";
    var multiplier = match[3] ? MAGNITUDES[match[3]] : ENGLISH[(match[2] || "").toLowerCase()];
    var units = BigInt(parts[0] + decimals) * multiplier * 100n;
    var scale = 10n ** BigInt(decimals.length);
    if (units <= 0n || units > MAX_FEN * scale) return null;
    return { units: units, scale: scale };
  }

  function roundDiv(numerator, denominator) { // half up, both positive
    return (numerator * 2n + denominator) / (denominator * 2n);
  }

  function group(n) { return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function cny(fen) {
    var text = "¥" + group(fen / 100n), rest = fen % 100n;
    if (rest !== 0n) text += "." + rest.toString().padStart(2, "0").replace(/0$/, "");
    return text;
  }

  function spendText(spend) { return cny(roundDiv(spend.units, spend.scale)); }

  var BOUND = {
    at_most: ["up to ", "最高"], at_least: ["at least ", "至少"], approx: ["about ", "约"], exact: ["", ""]
  };

  function both(en, zh) {
    return { en: en, zh: zh };
  }

  function pays(line) {
    if (line.amount === null) return both("—", "—");
    var words = BOUND[line.bound] || BOUND.exact;
    return both(words[0] + cny(line.amount), words[1] + cny(line.amount));
  }

  function compute(c, spend) {
    var line = { assumes: c.assumes, terms: c.terms, amount: null, bound: "exact", capped: false, steps: [] };
    if (c.rateBp === null) {
      line.steps.push(both("rate not stated in the sources", "比例来源未说明"));
      return line;
    }
    var gross = roundDiv(BigInt(c.rateBp) * spend.units, 10000n * spend.scale);
    line.bound = ["at_most", "at_least", "approx"].indexOf(c.rateBound) >= 0 ? c.rateBound : "exact";
    var arithmetic = " × " + spendText(spend) + " = " + cny(gross);
    var step = c.rateText + arithmetic, stepZh = (c.rateTextZh || c.rateText) + arithmetic;
    if (c.cap === null) {
      line.amount = gross;
      line.bound = "at_most";
      line.steps.push(both(step + ", cap not stated in the sources: rate × spend is an upper bound",
        stepZh + "，上限来源未说明：比例×支出为上限估计"));
    } else {
      var limit = BigInt(c.cap.fen);
      var when = c.cap.years ? both(" over " + c.cap.years + " years", c.cap.years + "年合计")
        : c.cap.period === "year" ? both(" a year", "每年") : c.cap.period === "total" ? both(" in total", "总额")
        : both(" (its period is not stated in the sources)", "（期限来源未说明）");
      if (gross > limit) {
        line.amount = limit;
        line.capped = true;
        line.steps.push(both(step + ", capped at " + cny(limit) + when.en, stepZh + "，封顶" + when.zh + cny(limit)));
      } else {
        line.amount = gross;
        line.steps.push(both(step + ", under the " + cny(limit) + " cap" + when.en,
          stepZh + "，未超过" + when.zh + "上限" + cny(limit)));
      }
    }
    if (c.poolFen !== null && line.amount > BigInt(c.poolFen)) {
      line.steps.push(both("the pool is smaller than this payout", "资金池小于该补贴额"));
    }
    return line;
  }

  function calculate(data, spend, applicant) {
    var byCity = {}, order = [];
    var answer = { ranked: [], separate: [], conditional: [], capUnknown: [], other: [] };
    data.forEach(function (inst) {
      if (!byCity[inst.city]) { byCity[inst.city] = []; order.push(inst.city); }
      var rules = inst.applicants[applicant];
      byCity[inst.city].push({
        inst: inst, eligible: rules.eligible, why: rules.why, whyZh: rules.whyZh || [],
        lines: rules.cases.map(function (c) { return compute(c, spend); })
      });
    });
    var best = [];
    order.forEach(function (city) {
      var definite = [];
      byCity[city].forEach(function (p) {
        var top = null;
        p.lines.forEach(function (line, index) {
          var known = p.inst.applicants[applicant].cases[index].cap !== null;
          if (!line.assumes.length && line.amount !== null && known && (top === null || line.amount > top.amount)) top = line;
          if (!line.assumes.length && line.amount !== null && !known) answer.capUnknown.push({ p: p, line: line });
        });
        if (top) definite.push({ p: p, line: top });
        if (p.lines.some(function (l) { return l.assumes.length; })) answer.conditional.push(p);
        if (!p.lines.some(function (l) { return l.amount !== null; })) answer.other.push(p);
      });
      definite.sort(function (a, b) { return a.line.amount === b.line.amount ? 0 : a.line.amount > b.line.amount ? -1 : 1; });
      if (definite.length) { best.push(definite[0]); answer.separate = answer.separate.concat(definite.slice(1)); }
    });
    best.sort(function (a, b) {
      if (a.line.amount !== b.line.amount) return a.line.amount > b.line.amount ? -1 : 1;
      var x = a.p.inst.cityName.en, y = b.p.inst.cityName.en;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    best.forEach(function (item, index) {
      var previous = answer.ranked[index - 1];
      item.rank = previous && previous.line.amount === item.line.amount ? previous.rank : index + 1;
      answer.ranked.push(item);
    });
    return answer;
  }

  // ------------------------------------------------------------------ rendering (both languages)

  function t(parent, text) {
    [["en", text.en], ["zh-Hans", text.zh]].forEach(function (pair) {
      var span = document.createElement("span");
      span.className = "t";
      span.lang = pair[0];
      span.textContent = pair[1];
      parent.appendChild(span);
    });
    return parent;
  }

  function name(n) { return both(n.zh + " " + n.en, n.zh); }

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    t(td, text);
    row.appendChild(td);
  }

  function joined(steps) {
    return both(steps.map(function (s) { return s.en; }).join("; "), steps.map(function (s) { return s.zh; }).join("；"));
  }

  function assumed(line) {
    return both(line.assumes.map(function (a) { return (a.holds ? "if " : "if not: ") + a.en; }).join("; "),
      line.assumes.map(function (a) { return (a.holds ? "如" : "如不属于：") + a.zh; }).join("；"));
  }

  function item(list, p, line, text) {
    var li = document.createElement("li");
    li.dataset.instrument = p.inst.id;
    if (line && line.amount !== null) { li.dataset.fen = line.amount.toString(); li.dataset.bound = line.bound; }
    if (line && line.assumes.length) li.dataset.when = line.assumes.map(function (a) { return a.name; }).sort().join(" & ");
    t(li, both(p.inst.placeName.en + " — " + p.inst.name.zh + " " + p.inst.name.en + ": " + text.en,
      p.inst.placeName.zh + " — " + p.inst.name.zh + "：" + text.zh));
    list.appendChild(li);
  }

  function section(parent, id, title, fill) {
    var box = document.createElement("section");
    box.id = id;
    var h = document.createElement("h3");
    t(h, title);
    box.appendChild(h);
    var ul = document.createElement("ul");
    fill(ul);
    box.appendChild(ul);
    if (ul.children.length) parent.appendChild(box);
  }

  function render(answer) {
    var body = document.querySelector("#calc-results tbody");
    body.textContent = "";
    answer.ranked.forEach(function (entry) {
      var row = document.createElement("tr");
      row.dataset.city = entry.p.inst.city;
      row.dataset.instrument = entry.p.inst.id;
      row.dataset.fen = entry.line.amount.toString();
      row.dataset.bound = entry.line.bound;
      row.dataset.rank = String(entry.rank);
      cell(row, both(String(entry.rank), String(entry.rank)));
      cell(row, name(entry.p.inst.placeName));
      cell(row, name(entry.p.inst.name));
      cell(row, pays(entry.line), "num");
      cell(row, joined(entry.line.steps));
      body.appendChild(row);
    });
    var more = document.getElementById("calc-more");
    more.textContent = "";
    section(more, "calc-conditional", both("Depends on something the applicant did not state — each case shown, none chosen",
      "取决于未说明的条件——逐一列出，不作选择"), function (ul) {
      answer.conditional.forEach(function (p) {
        p.lines.forEach(function (line) {
          if (!line.assumes.length) return;
          var text = pays(line), how = joined(line.steps), when = assumed(line);
          item(ul, p, line, both(when.en + ": " + text.en + " (" + how.en + ")", when.zh + "：" + text.zh + "（" + how.zh + "）"));
        });
      });
    });
    section(more, "calc-cap-unknown", both("Cap not stated in the sources — rate × spend is an upper bound, not ranked",
      "上限来源未说明——比例×支出仅为上限估计，不参与排名"), function (ul) {
      answer.capUnknown.forEach(function (entry) {
        var text = pays(entry.line), how = joined(entry.line.steps);
        item(ul, entry.p, entry.line, both(text.en + " (" + how.en + ")", text.zh + "（" + how.zh + "）"));
      });
    });
    section(more, "calc-separate", both("Also available in the same place — stacking not stated in the sources, not added up",
      "同地其他政策——是否可叠加来源未说明，未相加"), function (ul) {
      answer.separate.forEach(function (entry) {
        var text = pays(entry.line), how = joined(entry.line.steps);
        item(ul, entry.p, entry.line, both(text.en + " (" + how.en + ")", text.zh + "（" + how.zh + "）"));
      });
    });
    section(more, "calc-other", both("Cannot be computed or not open to this applicant", "无法计算或不适用于该申请主体"), function (ul) {
      answer.other.forEach(function (p) {
        var why = p.why.length ? both(p.why.join("; "), p.whyZh.length ? p.whyZh.join("；") : "不适用于该申请主体")
          : joined([].concat.apply([], p.lines.map(function (l) { return l.steps; })));
        item(ul, p, null, why);
      });
    });
  }

  function clear() {
    document.querySelector("#calc-results tbody").textContent = "";
    document.getElementById("calc-more").textContent = "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = JSON.parse(document.getElementById("calc-data").textContent);
    var form = document.getElementById("calc");
    var error = document.getElementById("calc-error");
    function update() {
      var spend = parseSpend(form.spend.value);
      if (spend === null) {
        clear();
        error.textContent = "";
        t(error, both("Enter an amount such as 1000万, 1.2亿, 12M or 12000000 (at most 1万亿)",
          "请输入金额，如 1000万、1.2亿、12M 或 12000000（不超过1万亿）"));
        return;
      }
      error.textContent = "";
      render(calculate(data, spend, form.applicant.value));
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });

  window.citypolicyCalculator = { parseSpend: parseSpend, calculate: calculate };
})();

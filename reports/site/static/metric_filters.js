// Date range and segment of a page, applied in the browser to the daily sums the page embeds
// (reports/site/daily_data.py): every tile with data-metric is recomputed by the metric
// catalogue's definition (reports/metric_catalogue.py), its change against the period of
// equal length just before, and every chart with a date axis shows the range. The choice is
// kept in the address (#range=28&segment=device:mobile), so a copied link reopens the view.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-metric-filters]");
  var lastDay = form.getAttribute("data-last"), defaultRange = form.getAttribute("data-default");
  // The daily sums are parsed only once a range or segment is chosen, so a page opened
  // without one draws its first screen as fast as before.
  var parsed = null;
  function config() {
    if (!parsed) { parsed = JSON.parse(document.getElementById("metric-filters-data").textContent); }
    return parsed;
  }
  var rangeBox = form.querySelector("[data-range]");
  var fromBox = form.querySelector("[data-from]");
  var toBox = form.querySelector("[data-to]");
  var segmentBox = form.querySelector("[data-segment]");
  var DAY = 86400000;

  function toDay(text) { return Math.round(Date.parse(text + "T00:00:00Z") / DAY); }
  function toText(day) { return new Date(day * DAY).toISOString().slice(0, 10); }

  function period(state) {
    var last = toDay(lastDay);
    if (state.range === "all") { return null; }
    if (state.range === "custom") {
      if (!state.from || !state.to) { return null; }
      return [toDay(state.from), toDay(state.to)];
    }
    if (state.range === "mtd") { return [toDay(lastDay.slice(0, 8) + "01"), last]; }
    return [last - Number(state.range) + 1, last];
  }

  // Column sums over days first..last (null: open) of one segment value (0 for the total).
  function sums(block, columns, first, last, valueIndex) {
    var out = {}, start = block.first ? toDay(block.first) : 0, series = block.sums[valueIndex];
    var from = Math.max(0, first === null ? 0 : first - start);
    var to = Math.min(block.days - 1, last === null ? block.days - 1 : last - start);
    columns.forEach(function (column, j) {
      var total = 0;
      for (var i = from; series && i <= to; i++) { total += series[j][i]; }
      out[column] = total;
    });
    return out;
  }

  function combine(terms, summed) {
    var total = 0;
    Object.keys(terms).forEach(function (c) { total += terms[c] * summed[c]; });
    return total;
  }

  // [value, whether the segment applied] of one metric over days first..last (null: open).
  function evaluate(spec, first, last, segment) {
    var data = config().datasets[spec.dataset], block = data.total, index = 0;
    var applies = false;
    if (segment && data.segments[segment.name]) {
      block = data.segments[segment.name];
      index = block.values.indexOf(segment.value);  // -1: no rows of that value, all zeros
      applies = true;
    }
    var summed = sums(block, data.columns, first, last, index);
    var numerator = combine(spec.numerator, summed);
    if (!spec.denominator) { return [spec.scale * numerator, applies]; }
    var denominator = combine(spec.denominator, summed);
    return [denominator === 0 ? null : spec.scale * numerator / denominator, applies];
  }

  // Python's format of reports/site/format.py: rounding half to even, thousands commas.
  function fixed(value, decimals) {
    var m = Math.pow(10, decimals), scaled = value * m, rounded = Math.round(scaled);
    if (Math.abs(scaled % 1) === 0.5) { rounded = 2 * Math.round(scaled / 2); }
    var parts = (rounded / m).toFixed(decimals).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }
  function format(kind, value) {
    if (value === null || isNaN(value)) { return "–"; }
    if (kind === "rate") { return fixed(value * 100, 1).replace(/,/g, "") + " %"; }
    if (kind === "money" || kind === "stars") { return fixed(value, 2); }
    return fixed(value, 0);
  }

  // The change against the previous period, as reports/site/widgets.py change_text writes it.
  function change(kind, current, previous) {
    var points = kind === "rate" || kind === "score" || kind === "stars";
    var scale = kind === "rate" ? 100 : 1;
    if (current === null || previous === null || (!points && previous === 0)) {
      return ["– no previous period", null];
    }
    var delta = points ? (current - previous) * scale : (current - previous) / Math.abs(previous);
    var arrow = delta > 0 ? "▲" : delta < 0 ? "▼" : "=";
    // Stars move by hundredths (4.31 to 4.28): one decimal would call most changes "0.0".
    var amount = points ? Math.abs(delta).toFixed(kind === "stars" ? 2 : 1)
      : (Math.abs(delta) * 100).toFixed(1) + " %";
    return [arrow + " " + amount + " vs previous", delta];
  }

  function setChange(tile, text) {
    var box = tile.querySelector(".change");
    if (!box) {
      box = document.createElement("div");
      box.className = "change";
      tile.querySelector(".hint").insertAdjacentElement("afterend", box);
    }
    box.textContent = text[0];
    if (text[1] === null) { box.removeAttribute("data-change"); }
    else { box.setAttribute("data-change", String(text[1])); }
  }

  function setScope(tile, note) {
    var box = tile.querySelector("[data-scope]");
    if (!note) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.className = "scope";
      box.setAttribute("data-scope", "");
      tile.appendChild(box);
    }
    box.textContent = note;
  }

  // Every date x axis of every drawn chart (subplots included) shows the range.
  function showRange(days) {
    var range = days ? [toText(days[0]) + " 00:00", toText(days[1]) + " 23:59"] : null;
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (div) {
      if (div.closest("[data-own-range]")) { return; }  // its page's script sets it (announce)
      var full = div._fullLayout || {}, update = {};  // the axis types plotly detected
      Object.keys(full).forEach(function (name) {
        if (!/^xaxis\d*$/.test(name) || full[name].type !== "date") { return; }
        if (range) { update[name + ".range"] = range; } else { update[name + ".autorange"] = true; }
      });
      if (Object.keys(update).length) { Plotly.relayout(div, update); }
    });
  }

  // The chosen days and the comparison days, in words, wherever the page names its period.
  function showPeriod(state) {
    var days = period(state), label = "every day of the data", segment = state.segment || "";
    if (days) {
      var length = days[1] - days[0] + 1;
      label = toText(days[0]) + " to " + toText(days[1]) + " vs " + toText(days[0] - length) +
        " to " + toText(days[0] - 1);
    }
    document.querySelectorAll("[data-period-label]").forEach(function (span) { span.textContent = label; });
    form.querySelector("[data-period]").textContent =
      label + (segment ? " · " + segmentBox.options[segmentBox.selectedIndex].text : "");
  }

  // Charts and tables inside [data-own-range] follow the range their own way (a forecast
  // that runs past the range, months, cohorts): their page's script reads the chosen days
  // ("first/last", "" for every day) from the form's data-shown and its "orderpulse:range".
  function announce(days) {
    form.setAttribute("data-shown", days ? toText(days[0]) + "/" + toText(days[1]) : "");
    form.dispatchEvent(new CustomEvent("orderpulse:range", {detail: form.getAttribute("data-shown")}));
  }

  var shown;  // the days the charts show; undefined until a range was chosen
  function apply(state) {
    var days = period(state), first = days ? days[0] : null, last = days ? days[1] : null;
    var previous = days ? [first - (last - first + 1), first - 1] : null;
    var segment = null;
    if (state.segment) {
      var cut = state.segment.indexOf(":");
      segment = {name: state.segment.slice(0, cut), value: state.segment.slice(cut + 1)};
    }
    Object.keys(config().metrics).forEach(function (key) {
      var tile = document.querySelector('[data-kpi="' + key + '"]');
      if (!tile) { return; }
      var spec = config().metrics[key];
      var now = evaluate(spec, first, last, segment);
      tile.querySelector(".value").textContent = format(spec.kind, now[0]);
      var before = previous ? evaluate(spec, previous[0], previous[1], segment)[0] : null;
      setChange(tile, change(spec.kind, now[0], before));
      setScope(tile, segment && !now[1] ? "all visitors: not split by " + config().labels[segment.name] : "");
    });
    showPeriod(state);
    shown = days;
    showRange(days);
    announce(days);
  }

  function readForm() {
    var state = {range: rangeBox.value, segment: segmentBox.value};
    if (state.range === "custom") { state.from = fromBox.value; state.to = toBox.value; }
    return state;
  }

  function writeForm(state) {
    rangeBox.value = state.range;
    segmentBox.value = state.segment || "";
    var days = period(state);
    if (days) { fromBox.value = toText(days[0]); toBox.value = toText(days[1]); }
    var custom = state.range === "custom";
    fromBox.disabled = toBox.disabled = !custom;
  }

  function fromAddress() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (!params.has("range") && !params.has("segment")) { return null; }
    var state = {range: params.get("range") || defaultRange, segment: params.get("segment") || ""};
    if (!rangeBox.querySelector('option[value="' + state.range + '"]')) { state.range = defaultRange; }
    if (state.segment && !segmentBox.querySelector('option[value="' + CSS.escape(state.segment) + '"]')) {
      state.segment = "";
    }
    if (state.range === "custom") { state.from = params.get("from"); state.to = params.get("to"); }
    return state;
  }

  function toAddress(state) {
    var params = new URLSearchParams(location.hash.slice(1));  // other scripts' keys stay (#sku=)
    ["range", "from", "to", "segment"].forEach(function (key) { params.delete(key); });
    params.set("range", state.range);
    if (state.range === "custom") { params.set("from", state.from || ""); params.set("to", state.to || ""); }
    if (state.segment) { params.set("segment", state.segment); }
    history.replaceState(null, "", "#" + params.toString());
  }

  function changed() {
    var state = readForm();
    writeForm(state);
    toAddress(state);
    apply(state);
  }

  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", function () {
    var state = fromAddress();
    if (state) { writeForm(state); apply(state); }
  });
  var initial = fromAddress(), start = initial || {range: defaultRange, segment: ""};
  writeForm(start);
  showPeriod(start);
  // The tiles are published for the default range; the charts show it too, once drawn.
  if (initial) { apply(initial); } else { shown = period(start); announce(shown); }
  // Charts below the first screen are drawn later: show them the range once all are drawn.
  (function whenDrawn() {
    if (performance.getEntriesByName("orderpulse:all-charts-drawn").length) {
      if (shown !== undefined) { showRange(shown); }
    } else { setTimeout(whenDrawn, 100); }
  })();
  form.setAttribute("data-ready", "");
});

// Date range and segments of a page, applied in the browser to the daily cube the page embeds
// (reports/site/daily_data.py): every tile with data-metric is recomputed by the metric
// catalogue's definition (reports/metric_catalogue.py) for the chosen range and every chosen
// segment value at once (device = mobile and country = DE), with its change against the
// period of equal length just before; the charts named in the page's config are redrawn for
// the segments, and every chart with a date axis shows the range. The choice is kept in the
// address (#range=28&device=mobile&country=DE), so a copied link reopens the view.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-metric-filters]");
  var lastDay = form.getAttribute("data-last"), defaultRange = form.getAttribute("data-default");
  // The cube is parsed only once a range or segment is chosen, so a page opened without one
  // draws its first screen as fast as before.
  var parsed = null;
  function config() {
    if (!parsed) {
      parsed = JSON.parse(document.getElementById("metric-filters-data").textContent);
      Object.keys(parsed.datasets).forEach(function (key) {
        var data = parsed.datasets[key];
        if (data.cell !== undefined) { data.cell = unpack(data.cell); }
        data.sums = (data.sums || []).map(function (column) {
          return typeof column === "string" ? unpack(column) : column;
        });
      });
    }
    return parsed;
  }
  // Whole numbers packed as text by reports/site/daily_data.py packed_integers.
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function unpack(text) {
    var out = [], value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = ALPHABET.indexOf(text.charAt(i));
      if (digit >= 32) { value = value * 32 + digit - 32; } else { out.push(value * 32 + digit); value = 0; }
    }
    return out;
  }
  var rangeBox = form.querySelector("[data-range]");
  var fromBox = form.querySelector("[data-from]");
  var toBox = form.querySelector("[data-to]");
  var segmentBoxes = Array.prototype.slice.call(form.querySelectorAll("select[data-segment]"))
    .filter(function (box) { return box.getAttribute("data-segment"); });
  var DAY = 86400000;

  function toDay(text) { return Math.round(Date.parse(text + "T00:00:00Z") / DAY); }
  function toText(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function monday(day) { return day - ((day + 3) % 7); }  // day 0, 1970-01-01, was a Thursday

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

  // The daily column sums of one dataset over the rows of the chosen segment values it is
  // split by: {first, days, sums[column][day offset], missing: chosen segments it lacks}.
  var dailyCache = {};
  function daily(key, segments) {
    var cacheKey = key + "|" + JSON.stringify(segments);
    if (dailyCache[cacheKey]) { return dailyCache[cacheKey]; }
    var data = config().datasets[key], missing = [], wanted = [];
    Object.keys(segments).forEach(function (name) {
      var position = data.dims.indexOf(name);
      if (position < 0) { missing.push(name); return; }
      wanted.push([position, data.values[name].indexOf(segments[name])]);  // -1: no rows
    });
    var cellMatches = data.cells.map(function (cell) {
      return wanted.every(function (w) { return cell[w[0]] === w[1]; });
    });
    var sums = data.columns.map(function () { return new Array(data.days).fill(0); });
    var row = 0;
    for (var offset = 0; offset < data.days; offset++) {
      for (var k = 0; k < data.per_day[offset]; k++, row++) {
        if (!cellMatches[data.cell[row]]) { continue; }
        for (var j = 0; j < sums.length; j++) { sums[j][offset] += data.sums[j][row]; }
      }
    }
    var out = {first: data.first ? toDay(data.first) : 0, days: data.days, sums: sums,
      columns: data.columns, missing: missing};
    dailyCache[cacheKey] = out;
    return out;
  }

  // Column sums of a dataset's daily series over days first..last (null: open).
  function sumDays(series, first, last) {
    var from = Math.max(0, first === null ? 0 : first - series.first);
    var to = Math.min(series.days - 1, last === null ? series.days - 1 : last - series.first);
    var out = {};
    series.columns.forEach(function (column, j) {
      var total = 0;
      for (var i = from; i <= to; i++) { total += series.sums[j][i]; }
      out[column] = total;
    });
    return out;
  }

  function combine(terms, summed) {
    var total = 0;
    Object.keys(terms).forEach(function (c) { total += terms[c] * summed[c]; });
    return total;
  }

  // A metric of summed columns: the catalogue's numerator / denominator, null on zero.
  function ratio(spec, summed) {
    var numerator = combine(spec.numerator, summed);
    if (!spec.denominator) { return spec.scale * numerator; }
    var denominator = combine(spec.denominator, summed);
    return denominator === 0 ? null : spec.scale * numerator / denominator;
  }

  // [value, chosen segments the metric's data is not split by] over days first..last.
  function evaluate(spec, first, last, segments) {
    var series = daily(spec.dataset, segments);
    return [ratio(spec, sumDays(series, first, last)), series.missing];
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

  function setScope(tile, missing) {
    var box = tile.querySelector("[data-scope]");
    if (!missing.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.className = "scope";
      box.setAttribute("data-scope", "");
      tile.appendChild(box);
    }
    box.textContent = "all visitors: not split by " +
      missing.map(function (name) { return config().labels[name]; }).join(", ");
  }

  // The days the shop was closed (day number -> true), for lines that leave them as gaps.
  var closedSet = null;
  function closedDays() {
    if (!closedSet) {
      closedSet = {};
      (config().closed || []).forEach(function (text) { closedSet[toDay(text)] = true; });
    }
    return closedSet;
  }

  // One trace's points from the cube: the metric per day (or per Monday-start week), over
  // every day of its data; a trailing-window trace sums the `rolling` days up to each day;
  // a `gaps` trace leaves closed days empty (a rate of a day the shop took no order).
  function tracePoints(trace, bucket, segments) {
    var spec = config().metrics[trace.metric], series = daily(spec.dataset, segments);
    var closed = closedDays(), x = [], y = [], i, day;
    if (bucket === "week") {
      var weeks = {};
      for (i = 0; i < series.days; i++) {
        var week = monday(series.first + i);
        if (!(week in weeks)) { weeks[week] = [i, i]; x.push(week); } else { weeks[week][1] = i; }
      }
      x.forEach(function (week) {
        var span = weeks[week];
        y.push(ratio(spec, sumDays(series, series.first + span[0], series.first + span[1])));
      });
      return {x: x.map(toText), y: y};
    }
    for (i = 0; i < series.days; i++) {
      day = series.first + i;
      x.push(toText(day));
      var window = trace.rolling ? [day - trace.rolling + 1, day] : [day, day];
      y.push(trace.gaps && closed[day] ? null : ratio(spec, sumDays(series, window[0], window[1])));
    }
    return {x: x, y: y};
  }

  // A tile's sparkline over the chosen days (all days for "all"), by the page's rule
  // (sparklines.js); the published one is the default range's by the same rule. A tile
  // published without one (another page's) gets none.
  function drawSpark(tile, key, spec, days, segments) {
    var box = tile.querySelector("svg.spark"), rule = config().spark;
    if (!box) { return; }
    var series = daily(spec.dataset, segments);
    var first = days ? days[0] : series.first, last = days ? days[1] : series.first + series.days - 1;
    var spark = window.orderpulseSpark.points(rule, first, last, function (from, to) {
      return ratio(spec, sumDays(series, from, to));
    }, closedDays(), rule.gaps.indexOf(key) >= 0);
    var label = tile.querySelector(".label").textContent + (spark.step === 1 ? ", daily" : ", weekly");
    window.orderpulseSpark.draw(box, spark.values, label);
  }

  // Redraw the followed charts for the chosen segments (only once a segment was chosen:
  // until then each chart keeps the figure it was published with, over every row).
  var chartsFollowed = false;
  function followSegments(segments) {
    var any = Object.keys(segments).length > 0;
    if (!window.Plotly || (!any && !chartsFollowed)) { return; }
    chartsFollowed = true;
    (config().charts || []).forEach(function (chart) {
      var div = document.getElementById(chart.id);
      if (!div || !div._fullLayout) { return; }  // not drawn yet: done once all are drawn
      var xs = [], ys = [], indexes = [];
      chart.traces.forEach(function (trace, index) {
        var points = tracePoints(trace, chart.bucket, segments);
        xs.push(points.x); ys.push(points.y); indexes.push(index);
      });
      Plotly.restyle(div, {x: xs, y: ys}, indexes);
      div.setAttribute("data-segments", JSON.stringify(segments));
    });
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

  function segmentText() {
    return segmentBoxes.filter(function (box) { return box.value; }).map(function (box) {
      return box.options[box.selectedIndex].text;
    }).join(" · ");
  }

  // The chosen days and the comparison days, in words, wherever the page names its period.
  function showPeriod(state) {
    var days = period(state), label = "every day of the data", segments = segmentText();
    if (days) {
      var length = days[1] - days[0] + 1;
      label = toText(days[0]) + " to " + toText(days[1]) + " vs " + toText(days[0] - length) +
        " to " + toText(days[0] - 1);
    }
    document.querySelectorAll("[data-period-label]").forEach(function (span) { span.textContent = label; });
    form.querySelector("[data-period]").textContent = label + (segments ? " · " + segments : "");
  }

  // Charts and tables inside [data-own-range] follow the range their own way (a forecast
  // that runs past the range, months, cohorts): their page's script reads the chosen days
  // ("first/last", "" for every day) from the form's data-shown and its "orderpulse:range".
  function announce(days) {
    form.setAttribute("data-shown", days ? toText(days[0]) + "/" + toText(days[1]) : "");
    form.dispatchEvent(new CustomEvent("orderpulse:range", {detail: form.getAttribute("data-shown")}));
  }

  var shown;  // the days the charts show; undefined until a range was chosen
  var current;  // the state last applied
  function apply(state) {
    var days = period(state), first = days ? days[0] : null, last = days ? days[1] : null;
    var previous = days ? [first - (last - first + 1), first - 1] : null;
    Object.keys(config().metrics).forEach(function (key) {
      var tile = document.querySelector('[data-kpi="' + key + '"]');
      if (!tile) { return; }
      var spec = config().metrics[key];
      var now = evaluate(spec, first, last, state.segments);
      tile.querySelector(".value").textContent = format(spec.kind, now[0]);
      var before = previous ? evaluate(spec, previous[0], previous[1], state.segments)[0] : null;
      setChange(tile, change(spec.kind, now[0], before));
      setScope(tile, now[1]);
      drawSpark(tile, key, spec, days, state.segments);
    });
    showPeriod(state);
    current = state;
    followSegments(state.segments);
    shown = days;
    showRange(days);
    announce(days);
  }

  function readForm() {
    var state = {range: rangeBox.value, segments: {}};
    segmentBoxes.forEach(function (box) {
      if (box.value) { state.segments[box.getAttribute("data-segment")] = box.value; }
    });
    if (state.range === "custom") { state.from = fromBox.value; state.to = toBox.value; }
    return state;
  }

  function writeForm(state) {
    rangeBox.value = state.range;
    segmentBoxes.forEach(function (box) { box.value = state.segments[box.getAttribute("data-segment")] || ""; });
    var days = period(state);
    if (days) { fromBox.value = toText(days[0]); toBox.value = toText(days[1]); }
    var custom = state.range === "custom";
    fromBox.disabled = toBox.disabled = !custom;
  }

  function offered(name, value) {
    var box = form.querySelector('select[data-segment="' + CSS.escape(name) + '"]');
    return box && box.querySelector('option[value="' + CSS.escape(value) + '"]');
  }

  function fromAddress() {
    var params = new URLSearchParams(location.hash.slice(1)), state = {segments: {}}, any = false;
    segmentBoxes.forEach(function (box) {
      var name = box.getAttribute("data-segment");
      if (params.has(name)) { any = true; }
      if (params.get(name) && offered(name, params.get(name))) { state.segments[name] = params.get(name); }
    });
    // An older link names one segment as segment=device:mobile.
    var legacy = params.get("segment") || "", cut = legacy.indexOf(":");
    if (cut > 0 && offered(legacy.slice(0, cut), legacy.slice(cut + 1))) {
      state.segments[legacy.slice(0, cut)] = legacy.slice(cut + 1);
    }
    if (!params.has("range") && !params.has("segment") && !any) { return null; }
    state.range = params.get("range") || defaultRange;
    if (!rangeBox.querySelector('option[value="' + state.range + '"]')) { state.range = defaultRange; }
    if (state.range === "custom") { state.from = params.get("from"); state.to = params.get("to"); }
    return state;
  }

  function toAddress(state) {
    var params = new URLSearchParams(location.hash.slice(1));  // other scripts' keys stay (#sku=)
    ["range", "from", "to", "segment"].concat(segmentBoxes.map(function (box) {
      return box.getAttribute("data-segment");
    })).forEach(function (key) { params.delete(key); });
    params.set("range", state.range);
    if (state.range === "custom") { params.set("from", state.from || ""); params.set("to", state.to || ""); }
    Object.keys(state.segments).forEach(function (name) { params.set(name, state.segments[name]); });
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
  var initial = fromAddress(), start = initial || {range: defaultRange, segments: {}};
  writeForm(start);
  showPeriod(start);
  // The tiles are published for the default range; the charts show it too, once drawn.
  if (initial) { apply(initial); } else { shown = period(start); announce(shown); }
  // Charts below the first screen are drawn later: once all are drawn, redraw them for the
  // segments and show them the range.
  (function whenDrawn() {
    if (performance.getEntriesByName("orderpulse:all-charts-drawn").length) {
      if (current) { followSegments(current.segments); }
      if (shown !== undefined) { showRange(shown); }
      form.setAttribute("data-charts-ready", "");
    } else { setTimeout(whenDrawn, 100); }
  })();
  form.setAttribute("data-ready", "");
});

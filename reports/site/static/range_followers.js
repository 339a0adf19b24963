// Charts and tables that follow the page's date range their own way (reports/site/
// range_followers.py wraps them in [data-own-range]); the range bar's script
// (metric_filters.js) leaves them alone and announces the chosen days on its form:
// data-shown="first/last" ("" for every day) and the event "orderpulse:range".
//   days:    a daily chart published with its own axis range (sparse bars, which plotly's
//            autorange would pad by the gap between them) shows the range, and that axis
//            range again for every day;
//   weeks, months: a weekly (Monday-start) or monthly chart shows the weeks or months the
//            range touches, whole: a bar or point sits on the period's first day, so half a
//            period is kept either side of it;
//   future:  a chart whose forecast runs past the data shows the range and the whole future
//            (data-future-end), since the forecast does not follow the range;
//   cohorts: a table shows only its rows (tr[data-month]) of months the range touches.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-metric-filters]");
  if (!form) { return; }

  function chosen() {
    var shown = form.getAttribute("data-shown");
    return shown ? shown.split("/") : null;
  }
  function monthOf(day) { return day.slice(0, 8) + "01"; }
  var DAY = 86400000;
  // "YYYY-MM-DD HH:MM", `days` (maybe fractional) after the start of `day`.
  function shifted(day, days) {
    return new Date(Date.parse(day.slice(0, 10) + "T00:00:00Z") + days * DAY).toISOString().slice(0, 16).replace("T", " ");
  }
  function mondayOf(day) { return shifted(day, -((new Date(day + "T00:00:00Z").getUTCDay() + 6) % 7)).slice(0, 10); }
  // [first, last] widened to the whole periods they fall in, half a period either side.
  function periods(kind, days) {
    if (kind === "weeks") { return [shifted(mondayOf(days[0]), -3.5), shifted(mondayOf(days[1]), 3.5)]; }
    return [shifted(monthOf(days[0]), -15), shifted(monthOf(days[1]), 15)];
  }

  // The relayout that shows `days` (null: every day) on the chart of `box`.
  function rangeUpdate(box, div, days) {
    var kind = box.getAttribute("data-own-range"), update = {};
    var xaxis = (div.layout || {}).xaxis || {};
    if (kind === "days" && !box.hasAttribute("data-published-range")) {
      box.setAttribute("data-published-range", JSON.stringify(xaxis.range || null));
    }
    var published = JSON.parse(box.getAttribute("data-published-range") || "null");
    if (!days) {
      if (published) { update["xaxis.range"] = published; } else { update["xaxis.autorange"] = true; }
    } else if (kind === "days") {
      update["xaxis.range"] = [days[0] + " 00:00", days[1] + " 23:59"];
    } else if (kind === "weeks" || kind === "months") {
      update["xaxis.range"] = periods(kind, days);
    } else {
      var end = box.getAttribute("data-future-end") || days[1];
      update["xaxis.range"] = [days[0] + " 00:00", (end > days[1] ? end : days[1]) + " 23:59"];
      // A tick on the range's first day would centre its label on the y axis's labels.
      update["xaxis.ticklabeloverflow"] = "hide past domain";
    }
    if (kind === "months") {
      // A tick a month when a few months are shown; the chart's own spacing otherwise.
      if (!box.hasAttribute("data-dtick")) { box.setAttribute("data-dtick", xaxis.dtick || ""); }
      var few = days && (Date.parse(days[1]) - Date.parse(days[0])) / DAY < 183;
      update["xaxis.dtick"] = few ? "M1" : box.getAttribute("data-dtick") || null;
    }
    return update;
  }

  // Whether the chart already shows what `update` would set (a chart published or drawn
  // with its range is not drawn twice).
  function shows(div, update) {
    var xaxis = (div.layout || {}).xaxis || {};
    return Object.keys(update).every(function (key) {
      var name = key.split(".")[1];
      if (name === "autorange") { return xaxis.autorange === true; }
      return JSON.stringify(xaxis[name]) === JSON.stringify(update[key]);
    });
  }

  function followChart(box, days) {
    var div = box.querySelector(".js-plotly-plot");
    if (!div || !window.Plotly) { return; }
    var update = rangeUpdate(box, div, days);
    if (!shows(div, update)) { Plotly.relayout(div, update); }
  }

  function followTable(box, days) {
    var first = days ? monthOf(days[0]) : "", last = days ? days[1] : "", shown = 0;
    box.querySelectorAll("tr[data-month]").forEach(function (row) {
      var month = row.getAttribute("data-month");
      var keep = !days || (month >= first && month <= last);
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    var note = box.querySelector("[data-none-in-range]");
    if (note) { note.hidden = shown > 0; }
  }

  function follow() {
    var days = chosen();
    document.querySelectorAll("[data-own-range]").forEach(function (box) {
      if (box.getAttribute("data-own-range") === "cohorts") { followTable(box, days); }
      else { followChart(box, days); }
    });
  }
  // A chart a page's script draws itself (the demand explorer's next SKU) takes the range
  // into its layout before drawing: {"xaxis.range": [...], ...}.
  window.orderpulseRangeUpdate = function (div) {
    var box = div.closest("[data-own-range]");
    return box ? rangeUpdate(box, div, chosen()) : {};
  };

  form.addEventListener("orderpulse:range", follow);
  followAllWhenDrawn();
  function followAllWhenDrawn() {
    if (performance.getEntriesByName("orderpulse:all-charts-drawn").length) { follow(); }
    else { setTimeout(followAllWhenDrawn, 100); }
  }
});

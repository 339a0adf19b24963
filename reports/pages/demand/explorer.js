document.addEventListener("DOMContentLoaded", function () {
  var records = JSON.parse(document.getElementById("explorer-data").textContent);
  var data = {};
  records.forEach(function (r) { data[r.sku] = r; });
  var input = document.getElementById("sku-search");
  var info = document.getElementById("sku-accuracy");
  var chartId = "chart-explorer";
  function dayAfter(start, offset) {
    var d = new Date(start + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + offset);
    return d.toISOString().slice(0, 10);
  }
  function fmt(v) { return v === null || v === undefined ? "–" : v.toFixed(3); }
  function band(r, level, opacity) {
    return {x: r.days.concat(r.days.slice().reverse()),
            y: r["hi" + level].concat(r["lo" + level].slice().reverse()),
            fill: "toself", fillcolor: "rgba(47,111,222," + opacity + ")", line: {width: 0},
            mode: "lines", name: level + " % interval", hoverinfo: "skip"};
  }
  function show(sku, chosenByReader) {
    var r = data[sku];
    if (!r) { info.textContent = "No forecast for " + sku + " among the explorer's SKUs."; return; }
    var histDays = r.units.map(function (_, i) { return dayAfter(r.start, i); });
    var traces = [band(r, 95, 0.15), band(r, 80, 0.3),
      {x: histDays, y: r.units, name: "Units (demand)", mode: "lines+markers", connectgaps: true,
       line: {color: "#3e4c59", width: 1.5}, marker: {size: 4}},
      {x: r.stockout.map(function (i) { return histDays[i]; }),
       y: r.stockout.map(function (i) { return r.units[i]; }), name: "Stockout", mode: "markers",
       marker: {color: "#d64545", symbol: "x", size: 9}},
      {x: r.days, y: r.mean, name: "Forecast", mode: "lines", line: {color: "#2f6fde", width: 2.5}}];
    var layout = {title: {text: sku + " · " + r.pattern + " · " + r.model, x: 0.01, font: {size: 15}},
      template: JSON.parse(document.getElementById("plotly-template").textContent),
      height: 380, hovermode: "x unified",
      font: {family: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size: 12},
      margin: {l: 56, r: 24, t: 48, b: 40},
      legend: {orientation: "h", yref: "container", y: 0, yanchor: "bottom", x: 0, xanchor: "left"},
      xaxis: {title: {text: "Day"}}, yaxis: {title: {text: "Units per day"}, rangemode: "tozero"}};
    var div = document.getElementById(chartId);
    window.orderpulseFitTitles(layout, div.clientWidth);
    // The page's date range: its history follows, its forecast stays (range_followers.js).
    var range = window.orderpulseRangeUpdate ? window.orderpulseRangeUpdate(div) : {};
    Object.keys(range).forEach(function (key) { layout.xaxis[key.split(".")[1]] = range[key]; });
    if (layout.xaxis.autorange) { delete layout.xaxis.autorange; }
    Plotly.react(chartId, traces, layout, window.orderpulsePlotConfig);
    div.setAttribute("data-sku", sku);
    // The address keeps a chosen SKU beside the range bar's keys: a copied link reopens both.
    var params = new URLSearchParams(location.hash.slice(1));
    if (chosenByReader && params.get("sku") !== sku) {
      params.set("sku", sku);
      history.replaceState(null, "", "#" + params.toString());
    }
    info.textContent = sku + ": holdout WAPE " + fmt(r.wape) + ", WAPE on " + r.sums + " " + fmt(r.wape7) +
      " (model " + r.model + ", " + r.pattern + " demand)" + (r.why ? "; bucket " + r.why : "");
  }
  input.addEventListener("change", function () { show(input.value.trim(), true); });
  var wanted = new URLSearchParams(location.hash.slice(1)).get("sku") || "";
  input.value = wanted && data[wanted] ? wanted : records[0].sku;
  show(input.value, false);
});

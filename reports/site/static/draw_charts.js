// Every chart's plotly config (the demand explorer's too). The mode bar keeps only "reset
// axes" and "download as PNG", small enough to stay clear of a chart's title; on a phone it
// is hidden: there it would cover the title and a tap cannot hover it away.
window.orderpulsePlotConfig = {
  displaylogo: false,
  responsive: true,
  displayModeBar: window.matchMedia("(max-width: 600px)").matches ? false : "hover",
  modeBarButtonsToRemove: ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
                           "autoScale2d", "hoverClosestCartesian", "hoverCompareCartesian",
                           "toggleSpikelines"]
};
// Plotly never wraps a title: one longer than the chart is wide runs off its edge (on a
// phone, most chart titles). Break it at spaces into lines that fit and make room above
// the plot for the extra lines; the same for x-axis titles, with room below.
window.orderpulseFitTitles = function (layout, width) {
  function wrap(text, chars) {
    var lines = [];
    String(text).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && lines[last].length + 1 + word.length <= chars) { lines[last] += " " + word; }
      else { lines.push(word); }
    });
    return lines;
  }
  // room: the pixels of the chart's width the title may use (an x-axis title is centred
  // on the plot area, inside the left and right margins).
  function fit(title, charPx, side, room) {
    if (!title || !title.text || String(title.text).indexOf("<br>") >= 0) { return; }
    var lines = wrap(title.text, Math.max(12, Math.floor(room / charPx)));
    if (lines.length < 2) { return; }
    title.text = lines.join("<br>");
    layout.margin = layout.margin || {};
    layout.margin[side] = (layout.margin[side] || 60) + 18 * (lines.length - 1);
  }
  if (typeof layout.title === "string") { layout.title = {text: layout.title}; }
  fit(layout.title, 8.5, "t", width - 40);
  Object.keys(layout).forEach(function (key) {
    if (/^xaxis\d*$/.test(key) && layout[key].title) {
      if (typeof layout[key].title === "string") { layout[key].title = {text: layout[key].title}; }
      fit(layout[key].title, 7, "b", width - 120);
    }
  });
  return layout;
};
document.addEventListener("DOMContentLoaded", function () {
  var config = window.orderpulsePlotConfig;
  var template = JSON.parse(document.getElementById("plotly-template").textContent);
  var charts = Array.prototype.slice.call(document.querySelectorAll("div[data-plotly-spec]"));
  function draw(div) {
    if (div.hasAttribute("data-drawn")) { return; }
    div.setAttribute("data-drawn", "");
    var spec = JSON.parse(document.getElementById(div.getAttribute("data-plotly-spec")).textContent);
    if (div.hasAttribute("data-page-template")) { spec.layout.template = template; }
    window.orderpulseFitTitles(spec.layout, div.clientWidth);
    Plotly.newPlot(div, spec.data, spec.layout, config);
  }
  function onScreen(div) {
    var box = div.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  }
  charts.filter(onScreen).forEach(draw);
  performance.mark("orderpulse:first-screen-drawn");
  var later = charts.filter(function (div) { return !div.hasAttribute("data-drawn"); });
  var idle = window.requestIdleCallback || function (next) { return setTimeout(next, 1); };
  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { if (entry.isIntersecting) { draw(entry.target); } });
  }, {rootMargin: "200px"}) : null;
  later.forEach(function (div) { if (watcher) { watcher.observe(div); } });
  (function drawNext() {
    var next = later.shift();
    while (next && next.hasAttribute("data-drawn")) { next = later.shift(); }
    if (!next) {
      if (watcher) { watcher.disconnect(); }
      performance.mark("orderpulse:all-charts-drawn");
      return;
    }
    draw(next);
    idle(drawNext, {timeout: 250});
  })();
  window.addEventListener("beforeprint", function () { charts.forEach(draw); });
});

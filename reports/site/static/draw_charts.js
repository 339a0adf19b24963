document.addEventListener("DOMContentLoaded", function () {
  var config = {"displaylogo": false, "responsive": true};
  var template = JSON.parse(document.getElementById("plotly-template").textContent);
  var charts = Array.prototype.slice.call(document.querySelectorAll("div[data-plotly-spec]"));
  function draw(div) {
    if (div.hasAttribute("data-drawn")) { return; }
    div.setAttribute("data-drawn", "");
    var spec = JSON.parse(document.getElementById(div.getAttribute("data-plotly-spec")).textContent);
    if (div.hasAttribute("data-page-template")) { spec.layout.template = template; }
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

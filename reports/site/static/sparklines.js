// The KPI tiles' sparklines redrawn in the browser for a chosen range (metric_filters.js
// calls these): the points by the page's rule (config.spark, from reports/site/spark_rule.py,
// which the published tiles follow too) and the line as reports/site/widgets.py sparkline
// draws it.
window.orderpulseSpark = {
  // {values, step}: value(first, last) of each point's days over days first..last (day
  // numbers), oldest first: a point per day up to rule.daily_up_to days, else per rule.step
  // days counted back from the last (older days that fill no point are left out). When
  // `gapped`, a point whose days are all closed (closed[day]) is null: a gap, not a 0.
  points: function (rule, first, last, value, closed, gapped) {
    var step = last - first + 1 <= rule.daily_up_to ? 1 : rule.step, values = [];
    for (var end = last; end - step + 1 >= first; end -= step) {
      var open = !gapped;
      for (var day = end - step + 1; !open && day <= end; day++) { open = !closed[day]; }
      values.unshift(open ? value(end - step + 1, end) : null);
    }
    return {values: values, step: step};
  },

  // The values as the line of svg.spark `box`, hidden under two points: a missing value is
  // a gap, a value between two gaps a dot (a zero-length line with round caps).
  draw: function (box, values, label) {
    var W = 150, H = 28;
    function present(v) { return v !== null && !isNaN(v); }
    var shown = values.filter(present), runs = [], run = null;
    var low = Math.min.apply(null, shown), span = (Math.max.apply(null, shown) - low) || 1;
    values.forEach(function (v, i) {
      if (!present(v)) { run = null; return; }
      if (!run) { run = []; runs.push(run); }
      var x = i * W / Math.max(values.length - 1, 1), y = H - 2 - (v - low) * (H - 4) / span;
      run.push(x.toFixed(1) + "," + y.toFixed(1));
    });
    box.style.display = shown.length < 2 ? "none" : "";
    box.setAttribute("aria-label", label);
    box.setAttribute("data-values", JSON.stringify(values.map(function (v) {
      return present(v) ? Number(v.toPrecision(6)) : null;
    })));
    box.querySelector("path").setAttribute("d", runs.map(function (points) {
      return "M" + (points.length > 1 ? points : [points[0], points[0]]).join(" L");
    }).join(" "));
  }
};

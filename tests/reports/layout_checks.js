// Layout faults of a published page, found in the drawn page itself (run by
// tests/reports/test_browser_layout.py once every chart is drawn). Returns a list of
// sentences, empty when the page is clean. Generic: it knows no page, chart or label.
(function () {
  var faults = [];
  var TICK_GAP = 3;  // px between two tick labels of one axis, at the least
  function box(el) { return el.getBoundingClientRect(); }
  function visible(el) {
    var r = box(el);
    if (r.width < 1 || r.height < 1) { return false; }
    for (var node = el; node && node.nodeType === 1; node = node.parentNode) {
      var style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden" || style.opacity === "0") {
        return false;
      }
    }
    return true;
  }
  function overlap(a, b) {  // overlapping by more than a pixel each way
    return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
           Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  }
  function name(el) {
    var text = (el.textContent || el.getAttribute("data-title") || "").trim();
    return '"' + text.slice(0, 40) + '"';
  }
  // The text of a chart: title, axis titles, tick labels, legend, annotations, bar labels.
  var TEXTS = ".g-gtitle text, [class^='g-x'][class$='title'] text," +
    " [class^='g-y'][class$='title'] text, .xtick > text, .ytick > text, .legendtext," +
    " .annotation-text, text.bartext";
  document.querySelectorAll(".js-plotly-plot").forEach(function (chart) {
    var id = chart.id;
    var texts = Array.prototype.filter.call(chart.querySelectorAll(TEXTS), function (t) {
      return t.textContent.trim() !== "" && visible(t);
    });
    texts = texts.filter(function (t, i) { return texts.indexOf(t) === i; });
    // Rotated tick labels have boxes wider than their text: two of them never count.
    function rotated(t) { return /rotate\(-?[1-9]/.test(t.getAttribute("transform") || ""); }
    for (var i = 0; i < texts.length; i++) {
      for (var j = i + 1; j < texts.length; j++) {
        if (rotated(texts[i]) && rotated(texts[j])) { continue; }
        if (overlap(box(texts[i]), box(texts[j]))) {
          faults.push(id + ": text " + name(texts[i]) + " overlaps " + name(texts[j]));
        }
      }
    }
    // Text cut off at the chart's edge (a long axis or chart title on a phone).
    var edge = box(chart);
    texts.forEach(function (t) {
      var r = box(t);
      if (r.left < edge.left - 1 || r.right > edge.right + 1) {
        faults.push(id + ": text " + name(t) + " runs past the chart's edge");
      }
    });
    // Tick labels of one axis that repeat ("1%", "1%", "1%") say nothing.
    chart.querySelectorAll(".xaxislayer-above, .yaxislayer-above").forEach(function (axis) {
      var seen = {};
      axis.querySelectorAll(".xtick > text, .ytick > text").forEach(function (t) {
        var label = t.textContent.trim();
        if (label && visible(t)) {
          if (seen[label]) { faults.push(id + ": axis tick " + JSON.stringify(label) + " repeats"); }
          seen[label] = true;
        }
      });
    });
    // Tick labels of one axis must keep a gap: "100k200k300k" on a phone overlapped by
    // less than the pixel the check above allows, yet read as one word.
    chart.querySelectorAll(".xaxislayer-above, .yaxislayer-above").forEach(function (axis) {
      var across = axis.classList.contains("xaxislayer-above");
      var ticks = Array.prototype.filter.call(axis.querySelectorAll(".xtick > text, .ytick > text"),
        function (t) { return t.textContent.trim() !== "" && visible(t) && !rotated(t); });
      ticks.sort(function (a, b) { return across ? box(a).left - box(b).left : box(a).top - box(b).top; });
      for (var k = 1; k < ticks.length; k++) {
        var before = box(ticks[k - 1]), after = box(ticks[k]);
        var gap = across ? after.left - before.right : after.top - before.bottom;
        if (gap < TICK_GAP) {
          faults.push(id + ": axis ticks " + name(ticks[k - 1]) + " and " + name(ticks[k]) + " touch");
        }
      }
    });
    // The mode bar (shown on hover) must not cover the title or any label.
    var bar = chart.querySelector(".modebar");
    if (bar) {
      bar.style.opacity = "1";
      var barBox = box(bar);
      texts.forEach(function (t) {
        if (overlap(barBox, box(t))) { faults.push(id + ": the mode bar covers " + name(t)); }
      });
    }
    // A plot area with no bar, line, point or cell drawn needs a message saying why.
    var annotated = chart.querySelectorAll(".annotation-text").length > 0;
    chart.querySelectorAll(".cartesianlayer > .subplot").forEach(function (subplot) {
      var marks = Array.prototype.filter.call(
        subplot.querySelectorAll(".overplot path, .overplot image"), function (m) {
          if (m.tagName === "image") { return true; }
          // A bar of a missing value is drawn with no height; a flat line has no height.
          var r = m.getBBox();
          return m.classList.contains("js-line") ? r.width > 0 || r.height > 0 : r.width > 0 && r.height > 0;
        });
      if (!marks.length && !annotated) {
        faults.push(id + ": plot area " + subplot.getAttribute("class") + " is empty, with no message");
      }
    });
  });
  // Every nav link on screen without scrolling sideways (a phone used to cut them off).
  var nav = document.querySelector("nav");
  document.querySelectorAll("nav a").forEach(function (a) {
    var r = box(a);
    if (!visible(a) || r.left < 0 || r.right > window.innerWidth + 0.5 || r.top < 0 || r.bottom > window.innerHeight) {
      faults.push("nav link " + name(a) + " is off screen at " + JSON.stringify([r.left, r.right, r.top]));
    }
  });
  if (nav && nav.scrollWidth > nav.clientWidth) { faults.push("the nav scrolls sideways"); }
  return faults;
})()

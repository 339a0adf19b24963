(function () {
  document.querySelectorAll("table[data-interactive]:not([data-ready])").forEach(function (table) {
    table.setAttribute("data-ready", "");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = document.querySelector('[data-count-for="' + table.id + '"]');
    var box = document.querySelector('[data-filter-for="' + table.id + '"]');
    function key(row, i) {
      var cell = row.cells[i];
      return cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.classList.add("sortable");
      th.title = "Sort by " + th.textContent;
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = rows.every(function (r) {
          var v = key(r, i); return v === "" || !isNaN(Number(v));
        });
        rows.sort(function (a, b) {
          var x = key(a, i), y = key(b, i);
          if (x === "" || y === "") { return (x === "") - (y === ""); }
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    if (box) {
      box.addEventListener("input", function () {
        var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (r) {
          var text = r.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) >= 0; });
          r.hidden = !match; shown += match ? 1 : 0;
        });
        count.textContent = words.length
          ? shown + " of " + rows.length + " rows match \u201c" + box.value.trim() + "\u201d"
          : "all " + rows.length + " rows";
      });
    }
  });
})();

// A "Download CSV" button above every table: the rows shown (a filtered table's matches),
// numbers as their raw values (data-v) rather than as formatted text. Built in the browser
// from the page itself, so it works opened from disk. A table whose data is already a file
// (data-csv-file, e.g. the reorder list) keeps its own link instead.
(function () {
  var page = (location.pathname.split("/").pop() || "index.html").replace(/\.html$/, "");
  var heading = "";
  var used = {};
  function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "table";
  }
  function cell(c) {
    if (c.hasAttribute("data-v")) { return c.getAttribute("data-v"); }
    var text = c.textContent.replace(/\s+/g, " ").trim();
    // A spreadsheet runs a cell starting with = + - @ as a formula: keep it text.
    if (/^[=+\-@]/.test(text)) { text = "'" + text; }
    return text;
  }
  function quote(value) {
    return /[",\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }
  function csv(table) {
    return Array.prototype.filter.call(table.rows, function (row) {
      return !row.hidden && !(row.parentNode && row.parentNode.hidden);
    }).map(function (row) {
      return Array.prototype.map.call(row.cells, function (c) { return quote(cell(c)); }).join(",");
    }).join("\r\n") + "\r\n";
  }
  document.querySelectorAll("main h2, main table").forEach(function (node) {
    if (node.tagName === "H2") { heading = node.textContent; return; }
    if (node.hasAttribute("data-csv-file")) { return; }
    var name = page + "-" + slug(heading);
    used[name] = (used[name] || 0) + 1;
    if (used[name] > 1) { name += "-" + used[name]; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "csv";
    button.textContent = "Download CSV";
    button.setAttribute("data-csv-for", name + ".csv");
    button.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([csv(node)], {type: "text/csv"}));
      link.download = name + ".csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    var box = node.closest(".table-wrap") || node;
    var bar = document.createElement("div");
    bar.className = "table-actions";
    bar.appendChild(button);
    box.parentNode.insertBefore(bar, box);
  });
})();

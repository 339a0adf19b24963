(function () {
  // The reorder list (reports/pages/reorder/list_section.py): filters by supplier, ABC
  // class, urgency and words; a row's details open on demand; a supplier whose rows are all
  // filtered out hides its heading too.
  var table = document.getElementById("reorder-table");
  if (!table || table.hasAttribute("data-ready")) { return; }
  table.setAttribute("data-ready", "");
  var box = document.querySelector('[data-filter-for="reorder-table"]');
  var count = document.querySelector('[data-count-for="reorder-table"]');
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var lines = Array.prototype.slice.call(table.querySelectorAll("tr.line"));
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    lines.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        selects.every(function (s) {
          return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
        });
      row.hidden = !match;
      var details = row.nextElementSibling;
      if (!match) { details.hidden = true; }
      else { details.hidden = row.querySelector("[data-details]").getAttribute("aria-expanded") !== "true"; }
      shown += match ? 1 : 0;
    });
    Array.prototype.forEach.call(table.tBodies, function (group) {
      group.hidden = !group.querySelector("tr.line:not([hidden])");
    });
    var filtered = words.length || selects.some(function (s) { return s.value; });
    count.textContent = filtered ? shown + " of " + lines.length + " rows match" : "all " + lines.length + " rows";
  }
  box.addEventListener("input", apply);
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  table.addEventListener("click", function (event) {
    var button = event.target.closest("[data-details]");
    if (!button) { return; }
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "hide details" : "details";
    button.closest("tr").nextElementSibling.hidden = !open;
  });
})();

// The beneficiary list: filter rows as you type, fill the delivery of the shown rows at once.
(function() {
  var filter = document.getElementById("row-filter");
  var rows = document.querySelectorAll("[data-testid=beneficiary-table] tbody tr[data-search]");
  filter.addEventListener("input", function() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function(row) {
      var text = row.dataset.search;
      row.hidden = !words.every(function(word) { return text.indexOf(word) !== -1; });
    });
  });
  var fill = document.getElementById("bulk-fill");
  if (!fill) { return; }
  fill.addEventListener("click", function() {
    var date = document.getElementById("bulk-date").value;
    var value = document.getElementById("bulk-value").value;
    rows.forEach(function(row) {
      var status = row.querySelector("[data-field=status]");
      if (row.hidden || !status || status.value !== "") { return; }
      status.value = "delivered";
      row.querySelector("[data-field=date]").value = date;
      row.querySelector("[data-field=value]").value = value;
    });
  });
})();

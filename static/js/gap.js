// The gap engine on the program form: once bidang and kecamatan are chosen, ask the dashboards for the desa where
// that bidang would reach the most poor families not yet reached (aggregates only), and offer to tick them.
(function () {
  "use strict";
  function init(panel) {
    var bidang = document.getElementById(panel.dataset.bidangField);
    var kecamatan = panel.querySelector("#gap-kecamatan");
    var results = panel.querySelector("[data-gap-results]");
    var numberFormat = new Intl.NumberFormat("id-ID");
    if (!bidang || !kecamatan) return;

    function render(data) {
      results.textContent = "";
      if (!data.results || !data.results.length) {
        results.textContent = panel.dataset.textNone;
        return;
      }
      var list = document.createElement("ol");
      list.className = "mb-0 ps-3";
      data.results.slice(0, 5).forEach(function (row) {
        var item = document.createElement("li");
        var needs = row.kebutuhan
          .filter(function (need) { return need.keluarga > 0; })
          .map(function (need) { return need.label + " " + numberFormat.format(need.keluarga); })
          .join(", ");
        item.textContent =
          row.nama + ": " + numberFormat.format(row.keluarga) + " " + panel.dataset.textFamilies +
          (needs ? " (" + needs + ")" : "") + " ";
        var box = document.getElementById("desa-" + row.id);
        if (box && !box.checked) {
          var tick = document.createElement("button");
          tick.type = "button";
          tick.className = "btn btn-link btn-sm p-0 align-baseline";
          tick.textContent = panel.dataset.textTick;
          tick.addEventListener("click", function () {
            box.checked = true;
            tick.remove();
          });
          item.appendChild(tick);
        }
        list.appendChild(item);
      });
      results.appendChild(list);
      results.dataset.loaded = "true";
    }

    function refresh() {
      if (!bidang.value || !kecamatan.value) return;
      var url = panel.dataset.gapUrl + "?bidang=" + encodeURIComponent(bidang.value) +
        "&kecamatan=" + encodeURIComponent(kecamatan.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) render(data); });
    }

    bidang.addEventListener("change", refresh);
    kecamatan.addEventListener("change", refresh);
    refresh();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".gap-engine[data-gap-url]").forEach(init);
  });
})();

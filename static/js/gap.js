// The gap engine on the program form: once bidang and kecamatan are chosen, ask the dashboards for the desa where
// that bidang would reach the most poor families not yet reached (aggregates only), with the form's own desil
// limit and needs when it has them, and offer to tick them. A company gets counts rounded to 5 and "<5".
(function () {
  "use strict";
  function init(panel) {
    var bidang = document.getElementById(panel.dataset.bidangField);
    var desil = document.getElementById(panel.dataset.desilField);
    var needs = Array.prototype.slice.call(
      document.querySelectorAll('input[name="' + panel.dataset.needsName + '"]')
    );
    var kecamatan = panel.querySelector("#gap-kecamatan");
    var results = panel.querySelector("[data-gap-results]");
    var numberFormat = new Intl.NumberFormat("id-ID");
    if (!bidang || !kecamatan) return;

    function shown(count) {
      return typeof count === "number" ? numberFormat.format(count) : String(count);
    }

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
        var rowNeeds = row.kebutuhan
          .filter(function (need) { return need.keluarga !== 0; })
          .map(function (need) { return need.label + " " + shown(need.keluarga); })
          .join(", ");
        item.textContent =
          row.nama + ": " + shown(row.keluarga) + " " + panel.dataset.textFamilies +
          (rowNeeds ? " (" + rowNeeds + ")" : "") + " ";
        var box = document.getElementById("desa-" + row.id);
        if (box && !box.checked) {
          var tick = document.createElement("button");
          tick.type = "button";
          tick.className = "btn btn-link btn-sm p-0 align-baseline";
          tick.textContent = panel.dataset.textTick;
          tick.addEventListener("click", function () {
            box.checked = true;
            box.dispatchEvent(new Event("change", { bubbles: true }));
            // The button stays where it is (so focus does not jump to the top of the page) and says so.
            tick.textContent = panel.dataset.textTicked;
            tick.setAttribute("aria-disabled", "true");
            tick.classList.add("disabled");
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
      var params = new URLSearchParams({ bidang: bidang.value, kecamatan: kecamatan.value });
      if (desil && desil.value) params.append("desil", desil.value);
      needs.forEach(function (box) { if (box.checked) params.append("need", box.value); });
      fetch(panel.dataset.gapUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) render(data); });
    }

    bidang.addEventListener("change", refresh);
    kecamatan.addEventListener("change", refresh);
    if (desil) desil.addEventListener("change", refresh);
    needs.forEach(function (box) { box.addEventListener("change", refresh); });
    refresh();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".gap-engine[data-gap-url]").forEach(init);
  });
})();

// The gap engine on the program form: once bidang and kecamatan are chosen, ask /publik/celah/ for the desa
// ranked by their published gap (a hidden one stays hidden and comes last) with the needs each desa asked for in
// the etalase for that bidang, and offer to tick them. Only published figures: see publik/gap.py.
(function () {
  "use strict";
  var SHOWN = 5;

  function init(panel) {
    var bidang = document.getElementById(panel.dataset.bidangField);
    var kecamatan = panel.querySelector("#gap-kecamatan");
    var results = panel.querySelector("[data-gap-results]");
    var numberFormat = new Intl.NumberFormat("id-ID");
    if (!bidang || !kecamatan) return;

    // The etalase needs a program could still fund: title (a link to the need) and the rupiah still open.
    function needList(title, needs) {
      var box = document.createElement("div");
      box.className = "small text-body-secondary";
      box.textContent = title + ": ";
      needs.forEach(function (need, index) {
        var link = document.createElement("a");
        link.href = need.url;
        link.textContent = need.judul;
        box.appendChild(link);
        box.appendChild(document.createTextNode(
          " (Rp " + numberFormat.format(need.sisa) + ")" + (index < needs.length - 1 ? "; " : "")
        ));
      });
      return box;
    }

    function tickButton(row) {
      var box = document.getElementById("desa-" + row.id);
      if (!box || box.checked) return null;
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
      return tick;
    }

    function render(data) {
      results.textContent = "";
      // The first desa by published gap, and any later one the etalase has a need of this bidang for.
      var rows = data.results.filter(function (row, index) {
        return index < SHOWN || row.usulan.length;
      });
      if (!rows.length) {
        results.textContent = panel.dataset.textNone;
        return;
      }
      var list = document.createElement("ol");
      list.className = "mb-0 ps-3";
      rows.forEach(function (row) {
        var item = document.createElement("li");
        item.textContent = row.nama + ": " + (row.kesenjangan === null
          ? panel.dataset.textHidden
          : numberFormat.format(row.kesenjangan) + " " + panel.dataset.textGap) + " ";
        var tick = tickButton(row);
        if (tick) item.appendChild(tick);
        if (row.usulan.length) item.appendChild(needList(panel.dataset.textNeeds, row.usulan));
        list.appendChild(item);
      });
      results.appendChild(list);
      if (data.usulan_kecamatan.length) {
        results.appendChild(needList(panel.dataset.textKecamatanNeeds, data.usulan_kecamatan));
      }
      results.dataset.loaded = "true";
    }

    function refresh() {
      if (!bidang.value || !kecamatan.value) return;
      var params = new URLSearchParams({ bidang: bidang.value, kecamatan: kecamatan.value });
      fetch(panel.dataset.gapUrl + "?" + params.toString(), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
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

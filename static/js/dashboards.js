// Dashboards: choropleth map (Leaflet, no tile layer), charts (Chart.js), year selector, brief buttons.
// Loaded as a file (the Content-Security-Policy allows no inline script); data come from json_script tags.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var numberFormat = new Intl.NumberFormat("id-ID");
  function n(value) {
    return value === null || value === undefined ? "–" : numberFormat.format(value);
  }
  // Legend steps only (round numbers); an area's coverage comes formatted by the server (cakupan_teks), so
  // that the popup reads exactly as the table, the card and the brief.
  var percentFormat = new Intl.NumberFormat("id-ID", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  function pct(value) {
    return value === null || value === undefined ? "–" : percentFormat.format(value * 100) + "%";
  }

  // Colour scales: coverage from red (none) to green (all); gap, where more is worse, from light to dark
  // purple (never green, which reads as "good").
  var COVERAGE = [
    [0.0, "#b91c1c"],
    [0.1, "#ea580c"],
    [0.25, "#f59e0b"],
    [0.5, "#84cc16"],
    [0.75, "#15803d"],
  ];
  var GAP_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"];
  var PHONE = window.matchMedia("(max-width: 575.98px)");

  function coverageColour(value) {
    if (value === null || value === undefined) return "#d1d5db";
    var colour = COVERAGE[0][1];
    COVERAGE.forEach(function (step) {
      if (value >= step[0]) colour = step[1];
    });
    return colour;
  }

  // Five classes of gap from 1 up; a desa with no gap is grey.
  function gapBreaks(features) {
    var max = 0;
    features.forEach(function (f) {
      max = Math.max(max, f.properties.kesenjangan || 0);
    });
    var step = Math.max(1, Math.ceil(max / GAP_COLOURS.length));
    return GAP_COLOURS.map(function (colour, i) {
      return [1 + i * step, colour];
    });
  }

  function gapColour(value, breaks) {
    if (!value) return "#f3f4f6";
    var colour = breaks[0][1];
    breaks.forEach(function (step) {
      if (value >= step[0]) colour = step[1];
    });
    return colour;
  }

  function drawMap(element) {
    var data = readJson(element.dataset.map);
    var text = readJson(element.dataset.text) || {};
    if (!data || !window.L) return;
    // On a phone one finger scrolls the page (two pinch-zoom the map); the wheel scrolls the page too.
    var map = L.map(element, {
      attributionControl: false,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
      zoomControl: false,
    });
    L.control.zoom({ zoomInTitle: text.zoom_in, zoomOutTitle: text.zoom_out }).addTo(map);
    var mode = "cakupan";
    var breaks = gapBreaks(data.features);

    function style(feature) {
      var p = feature.properties;
      var fill = mode === "cakupan" ? coverageColour(p.cakupan) : gapColour(p.kesenjangan, breaks);
      return { color: "#374151", weight: 1, fillColor: fill, fillOpacity: 0.8 };
    }

    function popup(feature) {
      var p = feature.properties;
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = p.nama;
      box.appendChild(title);
      [
        [text.miskin, n(p.keluarga_miskin)],
        [text.terjangkau, n(p.miskin_terjangkau)],
        [text.cakupan, p.cakupan_teks],
        [text.kesenjangan, n(p.kesenjangan)],
      ].forEach(function (line) {
        var row = document.createElement("div");
        row.textContent = line[0] + ": " + line[1];
        box.appendChild(row);
      });
      var link = document.createElement("a");
      link.href = p.url + window.location.search;
      link.textContent = text.open;
      box.appendChild(link);
      return box;
    }

    var layer = L.geoJSON(data, {
      style: style,
      onEachFeature: function (feature, shape) {
        shape.bindPopup(function () {
          return popup(feature);
        });
        // Names on the map at desktop width; on a phone they would cover it (a tap opens the popup).
        if (PHONE.matches) {
          shape.bindTooltip(feature.properties.nama, { sticky: true });
        } else {
          shape.bindTooltip(feature.properties.nama, {
            permanent: true,
            direction: "center",
            className: "dash-map-label",
          });
        }
      },
    }).addTo(map);
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [8, 8] });

    var legend = L.control({ position: "bottomright" });
    // The legend folds behind a button on a phone, where open it would cover a third of the map.
    legend.onAdd = function () {
      var outer = L.DomUtil.create("div", "dash-legend");
      var toggle = L.DomUtil.create("button", "dash-legend-toggle", outer);
      toggle.type = "button";
      toggle.textContent = text.legend;
      this.box = L.DomUtil.create("div", "dash-legend-body", outer);
      this.box.id = element.id + "-legend";
      toggle.setAttribute("aria-controls", this.box.id);
      var box = this.box;
      function setOpen(open) {
        box.hidden = !open;
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      }
      setOpen(!PHONE.matches);
      L.DomEvent.disableClickPropagation(outer);
      toggle.addEventListener("click", function () {
        setOpen(box.hidden);
      });
      return outer;
    };
    legend.update = function () {
      var box = this.box;
      box.textContent = "";
      var heading = document.createElement("strong");
      heading.textContent = mode === "cakupan" ? text.cakupan : text.kesenjangan;
      box.appendChild(heading);
      var steps =
        mode === "cakupan"
          ? COVERAGE.map(function (s, i) {
              var upper = i + 1 < COVERAGE.length ? COVERAGE[i + 1][0] : 1;
              return [s[1], pct(s[0]) + " – " + pct(upper)];
            }).concat([["#d1d5db", text.none]])
          : [["#f3f4f6", "0"]].concat(
              breaks.map(function (s, i) {
                var upper = i + 1 < breaks.length ? breaks[i + 1][0] - 1 : null;
                if (upper === null) return [s[1], n(s[0]) + "+"];
                return [s[1], upper === s[0] ? n(s[0]) : n(s[0]) + " – " + n(upper)];
              })
            );
      steps.forEach(function (step) {
        var row = document.createElement("div");
        var swatch = document.createElement("i");
        swatch.style.background = step[0];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(step[1]));
        box.appendChild(row);
      });
    };
    legend.addTo(map);
    legend.update();

    document.querySelectorAll("[data-map-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        mode = button.dataset.mapMode;
        document.querySelectorAll("[data-map-mode]").forEach(function (other) {
          var on = other === button;
          other.classList.toggle("active", on);
          other.setAttribute("aria-pressed", on ? "true" : "false");
        });
        layer.setStyle(style);
        legend.update();
      });
    });
    element.dataset.drawn = "true";
  }

  function drawCharts() {
    var data = readJson("chart-data");
    if (!data || !window.Chart) return;
    var text = data.text;
    var bidang = document.getElementById("chart-bidang");
    if (bidang) {
      new Chart(bidang, {
        type: "bar",
        data: {
          labels: data.bidang.labels,
          datasets: [
            { label: text.anggaran, data: data.bidang.anggaran, backgroundColor: "#15803d", yAxisID: "y" },
            { label: text.realisasi, data: data.bidang.realisasi, backgroundColor: "#86efac", yAxisID: "y" },
            { label: text.program, data: data.bidang.program, type: "line", borderColor: "#1d4ed8", yAxisID: "y1" },
          ],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: {
            y: { ticks: { callback: function (v) { return "Rp " + n(v); } } },
            y1: { position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
          },
        },
      });
    }
    var trend = document.getElementById("chart-trend");
    if (trend) {
      new Chart(trend, {
        type: "bar",
        data: {
          labels: data.trend.labels,
          datasets: [
            { label: text.terjangkau, data: data.trend.terjangkau, backgroundColor: "#0f766e" },
            { label: text.miskin_terjangkau, data: data.trend.miskin_terjangkau, backgroundColor: "#f59e0b" },
          ],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { ticks: { precision: 0, callback: function (v) { return n(v); } } } },
        },
      });
    }
  }

  function autoSubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
  }

  function briefButtons() {
    var print = document.querySelector("[data-print]");
    if (print) print.addEventListener("click", function () { window.print(); });
    var copy = document.querySelector("[data-copy]");
    if (copy) {
      copy.addEventListener("click", function () {
        var source = document.getElementById(copy.dataset.copy);
        var done = function () {
          var note = document.querySelector("[data-copied]");
          if (note) note.hidden = false;
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(source.value).then(done, function () {
            source.select();
            document.execCommand("copy");
            done();
          });
        } else {
          source.select();
          document.execCommand("copy");
          done();
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("dash-map");
    if (map) drawMap(map);
    drawCharts();
    autoSubmit();
    briefButtons();
  });
})();

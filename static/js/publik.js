// The public map: a choropleth of one (already suppressed) figure per area, drawn with the vendored Leaflet
// and no tile server. Its data come from a json_script element; hidden figures ("<5", null) are grey.
(function () {
  "use strict";
  // The gap (poor families not reached): more is worse, so a purple scale, never green (which reads as good).
  var COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#54278f"];
  var HIDDEN = "#d1d5db";

  function shade(value, max) {
    if (typeof value !== "number") return HIDDEN;
    if (max <= 0) return COLOURS[0];
    return COLOURS[Math.min(COLOURS.length - 1, Math.floor((value / max) * COLOURS.length))];
  }

  function show(value) {
    if (value === null || value === undefined) return "–";
    if (typeof value === "string") return value;
    return value.toLocaleString("id-ID");
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.source);
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.features.length) return;
    var field = element.dataset.field;
    var max = 0;
    data.features.forEach(function (feature) {
      var value = feature.properties[field];
      if (typeof value === "number" && value > max) max = value;
    });
    // The page scrolls past the map: the wheel, and on a phone one finger, move the page, not the map.
    var map = L.map(element, {
      attributionControl: false,
      zoomSnap: 0.25,
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
      zoomControl: false,
    });
    L.control.zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut }).addTo(map);
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return { color: "#14532d", weight: 1, fillOpacity: 0.8, fillColor: shade(feature.properties[field], max) };
      },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(feature.properties.nama + ": " + element.dataset.label + " " + show(feature.properties[field]));
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "publik-legend");
      var text = element.dataset.label + " (0–" + show(max) + ")<br>";
      COLOURS.forEach(function (_colour, index) {
        text += '<i class="publik-swatch-' + index + '"></i>';
      });
      text += '<br><i class="publik-swatch-hidden"></i>&lt;5 / –';
      box.innerHTML = text;
      return box;
    };
    legend.addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".publik-map").forEach(draw);
  });
})();

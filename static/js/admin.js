// Accessible names for widgets Django's admin draws without one (axe-core: label-title-only,
// aria-input-field-name, aria-prohibited-attr, scrollable-region-focusable). A file: CSP allows no inline script.
(function () {
  "use strict";
  function nameWidgets() {
    var search = document.getElementById("searchbar");
    if (search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", document.documentElement.lang === "en" ? "Search" : "Cari");
    }
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var rendered = box.querySelector(".select2-selection__rendered");
      var selectId = rendered && rendered.id ? rendered.id.replace(/^select2-/, "").replace(/-container$/, "") : "";
      var label = selectId ? document.querySelector('label[for="' + selectId + '"]') : null;
      if (label) {
        var name = label.textContent.replace(/:\s*$/, "").trim();
        box.setAttribute("aria-label", name);
        if (rendered.getAttribute("role")) {
          rendered.setAttribute("aria-label", name);
        }
      }
    });
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    document.querySelectorAll(".inline-group, .results").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  window.addEventListener("load", function () {
    nameWidgets();
    // select2 draws its widgets after load; name them once they exist.
    window.setTimeout(nameWidgets, 250);
  });
})();

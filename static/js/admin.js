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
    // Split date and time inputs share one label, written for the first of them.
    document.querySelectorAll("input[id$='_0'], input[id$='_1']").forEach(function (input) {
      var base = input.id.slice(0, -2);
      var label = document.querySelector('label[for="' + base + '_0"]') || document.querySelector('label[for="' + base + '"]');
      if (label && !document.querySelector('label[for="' + input.id + '"]:not([for="' + base + '_0"])') && !input.hasAttribute("aria-label")) {
        var part = input.id.slice(-1) === "0" ? "tanggal" : "jam";
        input.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim() + " (" + part + ")");
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
  document.addEventListener("DOMContentLoaded", function () {
    nameWidgets();
    // select2 and the inlines draw their widgets later; name each one as it appears. The observer's
    // callback runs once per batch of changes, before the browser does anything else (a screen reader or
    // a check reading the page never meets a widget without its name, as it could if this waited a frame).
    new MutationObserver(nameWidgets).observe(document.body, { childList: true, subtree: true });
  });
})();

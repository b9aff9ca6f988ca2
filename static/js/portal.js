// Small behaviours every page shares. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // A table wider than the screen scrolls inside its box; make that box reachable and named for keyboard
  // and screen-reader users (WCAG 2.1.1), but only when it really scrolls.
  function labelScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var heading = caption ? caption.textContent : document.title;
        box.setAttribute("aria-label", heading.trim());
      } else if (!scrolls && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", labelScrollingTables);
  window.addEventListener("resize", labelScrollingTables);
})();
// A year selector that opens the same page for the chosen year (annual plan): data-year-switch on the form.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-year-switch")) {
      window.location = form.action.replace(/\d+\/$/, event.target.value + "/");
    }
  });
})();
// A page that follows work in progress reloads itself: data-reload-after="<milliseconds>" on any element.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var marker = document.querySelector("[data-reload-after]");
    if (marker) {
      window.setTimeout(function () {
        window.location.reload();
      }, parseInt(marker.getAttribute("data-reload-after"), 10));
    }
  });
})();

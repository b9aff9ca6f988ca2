// Small behaviours every page shares. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // A table wider than the screen scrolls inside its box; make that box reachable and named for keyboard
  // and screen-reader users (WCAG 2.1.1), but only when it really scrolls.
  function labelScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrolling", scrolls);
      scrollHint(box, scrolls);
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
  // Say above a scrolling table that it scrolls (the text comes translated from base.html's body).
  function scrollHint(box, scrolls) {
    var hint = box.previousElementSibling;
    var present = hint && hint.classList.contains("scroll-hint");
    if (scrolls && !present) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = document.body.dataset.scrollHint || "↔";
      box.parentNode.insertBefore(hint, box);
    } else if (!scrolls && present) {
      hint.remove();
    }
  }
  // On a phone a table too wide for the screen becomes one card per row (CSS `table-stack`), each cell led
  // by its column's name, instead of scrolling sideways. Tables that fit, or that opt out with
  // `table-nostack`, are left alone; cells that already carry a `data-label` keep it.
  var PHONE = window.matchMedia("(max-width: 575.98px)");
  function stackWideTables() {
    if (!PHONE.matches) {
      return;
    }
    document.querySelectorAll("main table:not(.table-stack):not(.table-nostack)").forEach(function (table) {
      var box = table.closest(".table-responsive") || table.parentElement;
      if (table.scrollWidth <= box.clientWidth + 1) {
        return;
      }
      var headers = table.querySelectorAll("thead tr:last-child th");
      var names = Array.prototype.map.call(headers, function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (names[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
      table.classList.add("table-stack");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    stackWideTables();
    labelScrollingTables();
  });
  window.addEventListener("resize", function () {
    stackWideTables();
    labelScrollingTables();
  });
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

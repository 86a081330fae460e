/*
 * Filter forms: leave empty fields out of the address, so a shared link reads
 * /events/?mode=online rather than /events/?q=&category=&...&mode=online. Without
 * JavaScript the form still works; the address just carries the empty fields.
 * On wide screens the filter box starts open (on phones it stays folded until asked for).
 */
(function () {
  "use strict";
  function init() {
    if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
      Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (box) {
        box.open = true;
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name && field.value === "") {
            field.disabled = true;
          }
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

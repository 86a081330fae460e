/*
 * Filter forms: leave empty fields out of the address, so a shared link reads
 * /events/?mode=online rather than /events/?q=&category=&...&mode=online. Without
 * JavaScript the form still works; the address just carries the empty fields.
 * The filter box starts folded unless a filter is active (the server opens it then).
 */
(function () {
  "use strict";
  function init() {
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

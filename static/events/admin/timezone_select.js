/*
 * The event form's timezone list, made searchable with the admin's own select2 (as its
 * autocomplete fields are). Without JavaScript it stays a plain list to pick from.
 */
"use strict";
(function () {
  function init() {
    var $ = window.django && window.django.jQuery;
    if (!$ || !$.fn.select2) {
      return;
    }
    $("select.timezone-select").select2({ width: "20rem" });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

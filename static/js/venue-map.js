/*
 * A small map above a venue's OpenStreetMap link: a progressive enhancement. Without JavaScript
 * the link is all there is; with it, OpenStreetMap's own embeddable map (with a marker at the
 * venue's coordinates) is shown above the link. No map library is loaded.
 */
(function () {
  "use strict";
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("a[data-map-embed]"), function (link) {
      var frame = document.createElement("iframe");
      frame.src = link.getAttribute("data-map-embed");
      frame.title = link.getAttribute("data-map-title") || (window.gettext ? window.gettext("Map") : "Map");
      frame.className = "map-frame";
      frame.loading = "lazy";
      frame.setAttribute("referrerpolicy", "no-referrer");
      link.parentNode.insertBefore(frame, link);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/*
 * "Show times in my timezone": a progressive enhancement.
 *
 * Without JavaScript every page already shows each time in the event's own timezone with its
 * abbreviation. This script adds a button that rewrites each <time datetime="...T...+hh:mm"> in
 * the visitor's own timezone (and back). All-day dates (datetime without a time) never change, and
 * times marked data-tz="fixed" (the month grid, whose cells are the site's days) are left alone.
 */
(function () {
  "use strict";

  var INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

  function instants() {
    return Array.prototype.filter.call(
      document.querySelectorAll("main time[datetime]"),
      function (element) {
        return INSTANT.test(element.getAttribute("datetime")) && element.getAttribute("data-tz") !== "fixed";
      }
    );
  }

  function zoneSuffixes() {
    return document.querySelectorAll("main .when-zone");
  }

  function localText(value) {
    return new Intl.DateTimeFormat("en-US", {
      weekday: "short",
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short"
    }).format(new Date(value));
  }

  function showLocal(on) {
    instants().forEach(function (element) {
      if (!element.hasAttribute("data-original")) {
        element.setAttribute("data-original", element.textContent);
      }
      element.textContent = on ? localText(element.getAttribute("datetime")) : element.getAttribute("data-original");
      element.classList.toggle("is-local", on);
    });
    Array.prototype.forEach.call(zoneSuffixes(), function (element) {
      element.hidden = on;
    });
  }

  function init() {
    if (!window.Intl || instants().length === 0) {
      return;
    }
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "your timezone";
    var box = document.createElement("p");
    box.className = "tz-switch";
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Show times in my timezone (" + zone + ")";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      showLocal(on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "Show times in each event's own timezone" : "Show times in my timezone (" + zone + ")";
      status.textContent = on ? "Times are shown in " + zone + "." : "Times are shown in each event's own timezone.";
    });
    box.appendChild(button);
    box.appendChild(status);
    var main = document.querySelector("main");
    var heading = main && main.querySelector("h1");
    if (heading) {
      heading.insertAdjacentElement("afterend", box);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

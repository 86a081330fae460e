/*
 * "Show times in my timezone": a progressive enhancement.
 *
 * Without JavaScript every page shows each time in the event's own timezone with its abbreviation
 * (and an event page in another zone adds the site's time). This script adds a switch that shows
 * every instant in the visitor's own timezone instead, in the site's own formats
 * ("July 28, 2020 @ 11:00 pm – July 29, 2020 @ 12:00 am GMT+9 (your time)"), and back. The choice is
 * remembered (localStorage) for the next page. All-day dates never change; times marked
 * data-tz="fixed" (the month grid, whose cells are the site's days) are left alone; the site-time
 * line is hidden while it would repeat the same instant.
 *
 * In the page's language (<html lang>): its words from Django's JavaScript catalog (jsi18n, loaded
 * before this script), its dates and times from the browser's Intl in that language; English keeps
 * the site's own formats.
 */
(function () {
  "use strict";

  var INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  var KEY = "events.times-in-my-zone";
  var zone = (window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone) || "";
  var language = document.documentElement.lang || "en";
  var english = language === "en";
  var gettext = window.gettext || function (text) { return text; };
  var pgettext = window.pgettext || function (context, text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) { return values[name]; });
  };

  function isInstant(element) {
    return element && INSTANT.test(element.getAttribute("datetime")) && element.getAttribute("data-tz") !== "fixed";
  }

  function formatted(value, options) {
    return new Intl.DateTimeFormat(language, Object.assign({ timeZone: zone }, options)).format(new Date(value));
  }
  function parts(value, options) {
    var found = {};
    new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: zone }, options))
      .formatToParts(new Date(value))
      .forEach(function (part) { found[part.type] = part.value; });
    return found;
  }

  // The site's formats (events/timefmt.py): "July 28, 2020", "4:00 pm", "Thursday 10 June 2021, 17:00".
  function day(value) {
    if (!english) {
      return formatted(value, { year: "numeric", month: "long", day: "numeric" });
    }
    var p = parts(value, { year: "numeric", month: "long", day: "numeric" });
    return p.month + " " + p.day + ", " + p.year;
  }
  function clock(value) {
    if (!english) {
      return formatted(value, { hour: "numeric", minute: "2-digit" });
    }
    var p = parts(value, { hour: "numeric", minute: "2-digit", hour12: true });
    return p.hour + ":" + p.minute + " " + (p.dayPeriod || "").toLowerCase();
  }
  function abbreviation(value) {
    return parts(value, { timeZoneName: "short" }).timeZoneName;
  }
  function moment(value) {
    if (!english) {
      return formatted(value, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" }) + " " + abbreviation(value);
    }
    var p = parts(value, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    return p.weekday + " " + p.day + " " + p.month + " " + p.year + ", " + p.hour + ":" + p.minute + " " + abbreviation(value);
  }

  // "July 28, 2020 @ 4:00 pm"; "28. Juli 2020, 16:00" (events.timefmt.format_day_and_clock).
  function dayAndClock(value) {
    return interpolate(pgettext("a date and a time of day", "%(day)s @ %(time)s"), { day: day(value), time: clock(value) }, true);
  }

  function remember(element) {
    if (!element.hasAttribute("data-original")) {
      element.setAttribute("data-original", element.innerHTML);
    }
  }
  function restore(element) {
    if (element.hasAttribute("data-original")) {
      element.innerHTML = element.getAttribute("data-original");
    }
  }

  // A range ("start – end ZONE") in the visitor's zone, labelled as theirs.
  function showRange(group, on) {
    var times = group.querySelectorAll("time");
    var start = times[0], end = times[1];
    if (!isInstant(start)) {
      return false;
    }
    remember(group);
    if (!on) {
      restore(group);
      return true;
    }
    var from = start.getAttribute("datetime");
    var text = dayAndClock(from);
    if (end) {
      var to = end.getAttribute("datetime");
      text += " – " + (day(to) === day(from) ? clock(to) : dayAndClock(to));
      from = to;
    }
    group.innerHTML = "";
    var shown = document.createElement("time");
    shown.setAttribute("datetime", start.getAttribute("datetime"));
    shown.className = "is-local";
    shown.textContent = text + " " + abbreviation(from);
    var label = document.createElement("span");
    label.className = "local-label";
    label.textContent = " (" + gettext("your time") + ")";
    group.appendChild(shown);
    group.appendChild(label);
    return true;
  }

  function showMoment(element, on) {
    remember(element);
    if (!on) {
      restore(element);
      return;
    }
    element.textContent = moment(element.getAttribute("datetime")) + " (" + gettext("your time") + ")";
    element.classList.add("is-local");
  }

  function targets() {
    var main = document.querySelector("main");
    if (!main) {
      return { ranges: [], moments: [] };
    }
    return {
      ranges: Array.prototype.filter.call(main.querySelectorAll(".when"), function (group) {
        return isInstant(group.querySelector("time"));
      }),
      moments: Array.prototype.filter.call(main.querySelectorAll('time[data-format="moment"]'), isInstant)
    };
  }

  function show(on, found) {
    found.ranges.forEach(function (group) { showRange(group, on); });
    found.moments.forEach(function (element) { showMoment(element, on); });
    Array.prototype.forEach.call(document.querySelectorAll("main .site-time"), function (line) {
      line.hidden = on;
    });
  }

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (error) { /* private mode */ }
  }

  function init() {
    if (!window.Intl || !zone) {
      return;
    }
    var found = targets();
    if (found.ranges.length === 0 && found.moments.length === 0) {
      return;
    }
    var box = document.createElement("p");
    box.className = "tz-switch";
    var button = document.createElement("button");
    button.type = "button";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    function set(on, announce) {
      show(on, found);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on
        ? gettext("Show times in each event's own timezone")
        : interpolate(gettext("Show times in my timezone (%(zone)s)"), { zone: zone }, true);
      if (announce) {
        status.textContent = on
          ? interpolate(gettext("Times are shown in %(zone)s."), { zone: zone }, true)
          : gettext("Times are shown in each event's own timezone.");
      }
    }
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      store(on);
      set(on, true);
    });
    box.appendChild(button);
    box.appendChild(status);
    // Out of the way: under an event's facts, else at the end of the page's content.
    var facts = document.querySelector("main .event-detail > .facts");
    var main = document.querySelector("main");
    if (facts) {
      facts.insertAdjacentElement("afterend", box);
    } else {
      var wraps = main.querySelectorAll(".wrap");
      (wraps[wraps.length - 1] || main).appendChild(box);
    }
    set(stored(), false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

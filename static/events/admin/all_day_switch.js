/* Progressive enhancement for the event and session forms: an all-day item uses its dates, a timed
   item its times, so the inputs that do not apply are hidden. Without JavaScript every input shows
   and the server ignores the pair that does not apply. */
"use strict";
{
    const TIMED_ROWS = ".field-start, .field-end";
    const ALL_DAY_ROWS = ".field-start_date, .field-end_date";

    function isAllDaySwitch(element) {
        return element.matches && element.matches('input[type="checkbox"][name$="all_day"]');
    }

    function apply(checkbox) {
        const section = checkbox.closest("fieldset");
        if (!section) {
            return;
        }
        for (const row of section.querySelectorAll(TIMED_ROWS)) {
            row.hidden = checkbox.checked && !row.matches(ALL_DAY_ROWS);
        }
        for (const row of section.querySelectorAll(ALL_DAY_ROWS)) {
            row.hidden = !checkbox.checked && !row.matches(TIMED_ROWS);
        }
    }

    function applyAll(root) {
        for (const checkbox of root.querySelectorAll('input[type="checkbox"][name$="all_day"]')) {
            apply(checkbox);
        }
    }

    document.addEventListener("change", (event) => {
        if (isAllDaySwitch(event.target)) {
            apply(event.target);
        }
    });
    document.addEventListener("formset:added", (event) => applyAll(event.target));
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", () => applyAll(document));
    } else {
        applyAll(document);
    }
}

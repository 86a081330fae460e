/* Progressive enhancement for the event form's "Where" section: the online fields are hidden for
   an event held in person only, the venue for an event held online only. Without JavaScript every
   field shows; the server keeps what is typed either way. */
"use strict";
{
    const SHOWN = {
        ".field-venue": (mode) => mode !== "online",
        ".field-online_platform": (mode) => mode !== "in_person",
        ".field-online_url": (mode) => mode !== "in_person",
        ".field-online_access": (mode) => mode !== "in_person",
    };

    function apply(select) {
        const section = select.closest("fieldset");
        if (!section) {
            return;
        }
        for (const [selector, shown] of Object.entries(SHOWN)) {
            for (const row of section.querySelectorAll(`.form-row${selector}`)) {
                row.hidden = !shown(select.value);
            }
        }
    }

    function init() {
        const select = document.querySelector('select[name="attendance_mode"]');
        if (select) {
            apply(select);
            select.addEventListener("change", () => apply(select));
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}

/* Progressive enhancement for the "Repeats" section and the rows of dates handled apart from the
   rule: inputs that do not apply to the chosen pattern, end or kind of row are hidden. Without
   JavaScript every input shows, the server ignores those that do not apply to the pattern, and it
   refuses (with a message on the field) what would be half-used in a row. */
"use strict";
{
    const PATTERN_ROWS = {
        ".field-interval": (repeats) => repeats !== "" && repeats !== "custom",
        ".field-weekdays": (repeats) => repeats === "weekly",
        ".field-week_of_month": (repeats) => repeats === "monthly_weekday",
        ".field-ends": (repeats) => repeats !== "" && repeats !== "custom",
        // The expert rule box: nothing to say for an event that does not repeat.
        ".field-recurrence_rule": (repeats) => repeats !== "",
    };

    function applyRepeats(select) {
        const section = select.closest("fieldset");
        if (!section) {
            return;
        }
        for (const [selector, shown] of Object.entries(PATTERN_ROWS)) {
            for (const row of section.querySelectorAll(`.form-row${selector}`)) {
                row.hidden = !shown(select.value);
            }
        }
        const ends = section.querySelector('select[name="ends"]');
        const endsShown = PATTERN_ROWS[".field-ends"](select.value);
        for (const row of section.querySelectorAll(".form-row.field-until")) {
            row.hidden = !endsShown || !ends || ends.value === "never";
            for (const box of row.querySelectorAll(".fieldBox")) {
                const unused =
                    (box.matches(".field-until") && ends.value !== "on_date") ||
                    (box.matches(".field-count") && ends.value !== "after_count");
                // The admin's stylesheet lays field boxes out itself, so "hidden" alone would not hide one.
                box.style.display = unused ? "none" : "";
            }
        }
    }

    function applyKind(select) {
        const row = select.closest(".inline-related");
        if (!row) {
            return;
        }
        for (const fields of row.querySelectorAll(".form-row.field-start, .form-row.field-title")) {
            fields.hidden = select.value !== "change";
        }
    }

    function applyAll(root) {
        for (const select of root.querySelectorAll('select[name="repeats"]')) {
            applyRepeats(select);
        }
        for (const select of root.querySelectorAll('select[name$="-kind"]')) {
            applyKind(select);
        }
    }

    document.addEventListener("change", (event) => {
        const target = event.target;
        if (target.matches('select[name="repeats"]')) {
            applyRepeats(target);
        } else if (target.matches('select[name="ends"]')) {
            const repeats = document.querySelector('select[name="repeats"]');
            if (repeats) {
                applyRepeats(repeats);
            }
        } else if (target.matches('select[name$="-kind"]')) {
            applyKind(target);
        }
    });
    // Typing a rule in the expert field means using it: choose "Custom rule" for the editor.
    document.addEventListener("input", (event) => {
        if (event.target.matches('input[name="recurrence_rule"]')) {
            const repeats = document.querySelector('select[name="repeats"]');
            if (repeats && repeats.value !== "custom") {
                repeats.value = "custom";
                applyRepeats(repeats);
            }
        }
    });
    document.addEventListener("formset:added", (event) => applyAll(event.target));
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", () => applyAll(document));
    } else {
        applyAll(document);
    }
}

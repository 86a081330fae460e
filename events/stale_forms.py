"""Two editors on one article, venue, organizer, category or tag: the later save never silently
undoes the earlier one.

Events carry a version number (their SEQUENCE) for this (``EventAdminForm.check_version``). The
other rows editors change have none, so their admin forms carry a fingerprint of the row as it was
loaded: a hash of the values the form edits, many-to-many links included. A save whose fingerprint
no longer matches the stored row is refused, with the editor's input kept in the form and the
stored row's new fingerprint in it, so that saving again is a deliberate choice to replace the other
editor's version.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

CHANGED_MEANWHILE = _(
    "Another editor saved this while you were editing it, so your changes were not saved. They are "
    "still in the form below: look at the other version (the history, or this page in another tab), "
    "then save again to replace it with yours."
)


def fingerprint(instance, field_names):
    """A short hash of the values ``field_names`` hold on ``instance`` as stored."""
    values = model_to_dict(instance, fields=field_names)
    normalised = {
        name: sorted(str(getattr(item, "pk", item)) for item in value)
        if isinstance(value, list)
        else str(value)
        for name, value in sorted(values.items())
    }
    return hashlib.sha256(repr(normalised).encode()).hexdigest()[:32]


class StaleFormGuard(forms.ModelForm):
    """A model form that refuses a save made from a form loaded before someone else's save."""

    loaded_as = forms.CharField(widget=forms.HiddenInput, required=False)

    def guarded_fields(self):
        return [name for name in self.fields if name != "loaded_as"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_as"] = fingerprint(self.instance, self.guarded_fields())

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        stored = rows.first()
        if stored is None:
            return cleaned
        now = fingerprint(stored, self.guarded_fields())
        if cleaned.get("loaded_as") != now:
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_as")] = now
            raise ValidationError(CHANGED_MEANWHILE, code="changed_meanwhile")
        return cleaned

"""Visitor forms that are not filters: picking sessions for a personal schedule."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import timefmt


class PersonalScheduleForm(forms.Form):
    """The sessions of one event a visitor wants in their own calendar (a plain GET form)."""

    session = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("programme", "Sessions"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Session %(value)s is not part of this event's programme."),
            "required": _("Pick at least one session."),
        },
    )

    def __init__(self, data, *, sessions, **kwargs):
        super().__init__(data, **kwargs)
        self.sessions = {session.pk: session for session in sessions}
        self.fields["session"].choices = [
            (session.pk, f"{session.title} ({timefmt.when(session)})") for session in sessions
        ]

    @property
    def selected_sessions(self):
        """The chosen sessions in programme order (only after validation)."""
        chosen = set(self.cleaned_data["session"])
        return [session for pk, session in self.sessions.items() if pk in chosen]

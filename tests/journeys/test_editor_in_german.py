"""An editor whose browser speaks German: the admin in German (Django's words and the site's),
dates typed the German way, every error in German, and "Speichern und Vorschau" showing the draft's
page in German."""

import re

import pytest

from events.models import Event

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_locale("de-DE"),
]


@pytest.fixture
def signed_in(journey, seed, editor, editors_group):
    editor.set_password("a long editor password")
    editor.save()
    journey.go("/admin/")
    journey.page.get_by_label("Benutzername").fill("editor")
    journey.page.get_by_label("Passwort").fill("a long editor password")
    journey.page.get_by_role("button", name="Anmelden").click()
    return journey


def test_editor_in_german(signed_in):
    journey, page = signed_in, signed_in.page
    journey.shot("angemeldet")
    assert (
        "Allianz gegen Menschenhandel: Veranstaltungen und Neuigkeiten"
        in page.locator("#site-name").inner_text()
    )

    page.locator("#content-main").get_by_role("link", name="Veranstaltungen", exact=True).click()
    page.get_by_role("link", name=re.compile("Veranstaltung hinzufügen")).click()
    journey.shot("neue veranstaltung")
    assert (
        page.get_by_label("Wiederholung:", exact=True).locator("option:checked").inner_text()
        == "Wiederholt sich nicht"
    )
    assert page.get_by_text("Anmelde-URL:").is_visible()

    page.get_by_role("textbox", name="Titel:", exact=True).first.fill("Regionales Forum")
    page.get_by_label("Zusammenfassung:").fill("Zwei Tage über die Nachfrage.")
    # The browser's own date inputs: shown the German way (12.05.2031), sent as ISO dates.
    page.locator("#id_start_0").fill("2031-05-12")
    page.locator("#id_start_1").fill("09:00")
    page.locator("#id_end_0").fill("2031-05-12")
    page.locator("#id_end_1").fill("17:00")
    page.get_by_label("Anmelde-URL:").fill("https://example.org/register")
    page.locator("#id_registration_deadline_0").fill("2031-05-13")
    page.locator("#id_registration_deadline_1").fill("12:00")
    page.get_by_label("Kostenlos").check()
    page.get_by_label("Betrag:").fill("20")
    page.get_by_role("button", name="Sichern", exact=True).first.click()

    journey.shot("jeder fehler auf einmal")
    errors = " ".join(page.locator(".errorlist").all_inner_texts())
    assert "Die Anmeldung muss vor dem Ende der Veranstaltung schließen" in errors
    assert "Eine kostenlose Veranstaltung hat keinen Preis" in errors
    assert page.get_by_role("textbox", name="Titel:", exact=True).first.input_value() == "Regionales Forum"

    page.get_by_label("Betrag:").fill("")
    page.locator("#id_registration_deadline_0").fill("2031-05-05")
    page.get_by_role("button", name="Speichern und Vorschau").first.click()

    # The draft as German visitors will see it.
    page.wait_for_url(re.compile(r"/de/events/regionales-forum/$"))
    journey.shot("die vorschau")
    main = page.locator("main")
    assert "Entwurf: Nur die Redaktion sieht diese Seite." in main.inner_text()
    assert "12. Mai 2031, 09:00 – 17:00 CEST" in main.inner_text()
    assert "Anmeldung offen bis Montag, 5. Mai 2031, 12:00 CEST." in main.inner_text()
    event = Event.objects.get(slug="regionales-forum")
    assert (event.title, event.registration_deadline.isoformat()) == (
        "Regionales Forum",
        "2031-05-05T10:00:00+00:00",
    )
    assert journey.fits_the_width()

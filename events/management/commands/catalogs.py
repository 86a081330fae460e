"""The translation catalogs (locale/<language>/LC_MESSAGES/*.po): checked complete, and compiled.

``manage.py catalogs --check`` fails when a catalog of one of the site's languages misses a
translation, holds a fuzzy or obsolete entry, keeps a placeholder out of its translation, or has a
compiled ``.mo`` that does not say what its ``.po`` says. Run it after ``make messages``
(makemessages), which adds every newly marked string to the catalogs untranslated: CI does both.

``manage.py catalogs --compile`` writes each ``.mo`` from its ``.po`` with polib (pure Python, no
GNU gettext tools needed). The compiled files are committed, so that the site runs from a fresh
clone with nothing to build.
"""

import gettext
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DOMAINS = ("django", "djangojs")
# Python's %(name)s and %s, and the template's {{ name }} that blocktranslate turns into %(name)s.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


def catalog_paths():
    """The .po path of every catalog of the site's languages."""
    root = Path(settings.LOCALE_PATHS[0])
    for code, _name in settings.LANGUAGES:
        for domain in DOMAINS:
            yield root / code / "LC_MESSAGES" / f"{domain}.po"


def problems_of(po, path):
    """What is wrong with one catalog, in words, one line each."""
    import polib

    found = []
    for entry in po:
        name = f"{path}: {entry.msgid!r}" + (f" ({entry.msgctxt})" if entry.msgctxt else "")
        if entry.obsolete:
            found.append(f"{name}: obsolete (no longer in the code): remove it")
            continue
        if entry.fuzzy:
            found.append(f"{name}: fuzzy: check the translation and remove the flag")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(translations):
            found.append(f"{name}: not translated")
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        # A plural form may leave the number out ("one day" for "%(count)d days").
        may_leave_out = {"%(count)d", "%(counter)s"} if entry.msgid_plural else set()
        for translation in translations:
            missing = wanted - set(PLACEHOLDER.findall(translation)) - may_leave_out
            if missing:
                found.append(f"{name}: the translation leaves out {', '.join(sorted(missing))}")
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path}: missing: run manage.py catalogs --compile")
    elif compiled(mo_path) != expected(po, polib):
        found.append(f"{mo_path}: out of date with its .po: run manage.py catalogs --compile")
    return found


def expected(po, polib):
    """What the compiled catalog of ``po`` holds: {key: translation}, as gettext reads it."""
    catalog = {}
    for entry in po.translated_entries():
        if entry.fuzzy or entry.obsolete:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                catalog[(key, int(index))] = text
        else:
            catalog[key] = entry.msgstr
    return catalog


def compiled(mo_path):
    with mo_path.open("rb") as file:
        catalog = dict(gettext.GNUTranslations(file)._catalog)
    catalog.pop("", None)  # the header
    return catalog


class Command(BaseCommand):
    help = "Check the translation catalogs are complete (--check), or compile them (--compile)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="Fail on any missing or fuzzy translation.")
        action.add_argument("--compile", action="store_true", help="Write every .mo from its .po.")

    def handle(self, *args, check=False, compile=False, **options):
        try:
            import polib
        except ImportError as error:
            raise CommandError("polib is needed: pip install -r requirements-dev.txt") from error
        problems, count = [], 0
        for path in catalog_paths():
            if not path.exists():
                problems.append(f"{path}: missing: run make messages")
                continue
            po = polib.pofile(str(path))
            count += 1
            if compile:
                po.save_as_mofile(str(path.with_suffix(".mo")))
            else:
                problems.extend(problems_of(po, path))
        if problems:
            raise CommandError("The translation catalogs are not complete:\n" + "\n".join(problems))
        verb = "compiled" if compile else "complete"
        self.stdout.write(f"{count} catalogs {verb} ({', '.join(code for code, _ in settings.LANGUAGES)}).")

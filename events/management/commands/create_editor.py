"""Create a staff account in the "Editors" group: ``manage.py create_editor USERNAME --email ...``."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS_GROUP = "Editors"
PASSWORD_VARIABLE = "EDITOR_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create an editor: a staff account in the Editors group (events and news, not accounts). "
        f"The password is asked for, or read from ${PASSWORD_VARIABLE} with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt; take the password from ${PASSWORD_VARIABLE} (none: no password login).",
        )

    def handle(self, *args, username, email, interactive, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named “{username}” exists already.")
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist:
            raise CommandError(f"The “{EDITORS_GROUP}” group is missing: run manage.py migrate.") from None

        user = User(username=username, email=email, is_staff=True)
        password = self.read_password(interactive) if interactive else os.environ.get(PASSWORD_VARIABLE)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            user.set_password(password)
        else:
            user.set_unusable_password()
        with transaction.atomic():
            user.full_clean()
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Created the editor “{username}” <{email}>."))

    def read_password(self, interactive):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords did not match.")
        return password

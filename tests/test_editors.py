"""Editors: the group from the data migration, the create_editor command, and what editors may do."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from events.models import Event
from tests.events.admin_post_data import event_form_data

pytestmark = pytest.mark.django_db

CONTENT_MODELS = ["article", "category", "document", "event", "organizer", "session", "tag", "venue"]


def test_editors_group_may_manage_every_kind_of_content_and_nothing_else():
    group = Group.objects.get(name="Editors")

    codenames = sorted(group.permissions.values_list("codename", flat=True))

    expected = sorted(
        f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "delete", "view")
    )
    assert codenames == expected
    assert not group.permissions.filter(content_type__app_label="auth").exists()


def test_create_editor_makes_a_staff_account_in_the_editors_group(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-password")

    call_command("create_editor", "maria", email="maria@example.org", interactive=False, stdout=None)

    user = User.objects.get(username="maria")
    assert (user.email, user.is_staff, user.is_superuser) == ("maria@example.org", True, False)
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.check_password("a-long-editor-password")


def test_create_editor_without_a_password_makes_an_account_that_cannot_log_in_by_password(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)

    call_command("create_editor", "maria", email="maria@example.org", interactive=False)

    assert User.objects.get(username="maria").has_usable_password() is False


def test_create_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "password")

    with pytest.raises(CommandError) as refused:
        call_command("create_editor", "maria", email="maria@example.org", interactive=False)

    assert str(refused.value) == "This password is too common."
    assert not User.objects.filter(username="maria").exists()


def test_create_editor_refuses_an_existing_username(editor):
    with pytest.raises(CommandError) as refused:
        call_command("create_editor", "editor", email="other@example.org", interactive=False)

    assert str(refused.value) == "A user named “editor” exists already."


def test_editor_can_add_an_event(editor_client):
    assert editor_client.get(reverse("admin:events_event_add")).status_code == 200

    response = editor_client.post(reverse("admin:events_event_add"), event_form_data())

    assert response.status_code == 302
    assert Event.objects.get().title == "Annual Alliance Conference"


def test_editor_can_open_articles_venues_and_taxonomy(editor_client):
    for name in ["articles_article", "events_venue", "events_organizer", "events_category", "events_tag"]:
        assert editor_client.get(reverse(f"admin:{name}_add")).status_code == 200, name


def test_editor_cannot_manage_users_or_groups(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get("/admin/auth/user/add/").status_code == 403


def test_editor_does_not_see_the_accounts_section(editor_client):
    response = editor_client.get("/admin/")

    html = response.content.decode()
    assert 'href="/admin/events/event/"' in html
    assert 'href="/admin/auth/user/"' not in html

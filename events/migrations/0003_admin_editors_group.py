"""The "Editors" group: full rights on the calendar's and the news' content, none on accounts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
# app label -> model names whose add/change/delete/view permissions editors get.
CONTENT_MODELS = {
    "events": ["event", "session", "venue", "organizer", "document", "category", "tag"],
    "articles": ["article"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so they can be granted.
    for app_label in CONTENT_MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    grant_editors(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_editors(Group, Permission):
    """Create (or complete) the group with its permissions; takes the models to use as arguments."""
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for models in CONTENT_MODELS.values() for model in models for action in ACTIONS]
    permissions = Permission.objects.filter(
        content_type__app_label__in=list(CONTENT_MODELS), codename__in=codenames
    )
    group.permissions.set(permissions)
    return group


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_admin_audit_and_documents"),
        ("articles", "0002_admin_audit"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]

"""Check constraints validated with only the fields they name, all of a model's in one query.

Django validates a ``CheckConstraint`` (``full_clean()``) by a query that carries every field of the
row as a parameter, each built as an expression: some 2 ms a constraint for an event's 43 fields,
40% of the time an import spent saving an event. The condition reads only the fields it names, so
only those are sent; the answer, and the database's own check, are the same.

Django also asks one query per constraint, each in a savepoint of its own inside a transaction (as
in an import: three statements a constraint). ``ChecksInOneQuery`` asks the database about all of
a model's check constraints at once: one query, each condition a column of its answer.
"""

import logging
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router, transaction
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


class CheckConstraint(models.CheckConstraint):
    def named_fields(self, model):
        """The names of the fields the condition reads ("pk" among them when it does)."""
        return {reference[0] for reference in model._get_expr_references(self.condition)}

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if failing_checks(model, instance, [self], exclude or (), using):
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)


def failing_checks(model, instance, checks, exclude=(), using=DEFAULT_DB_ALIAS):
    """The constraints of ``checks`` (``CheckConstraint``) whose condition ``instance`` fails, asked
    in one query. A condition that reads an excluded field is not asked (as Django skips it), and
    one the database answers with NULL passes (as in SQL)."""
    exclude = set(exclude)
    asked = [check for check in checks if not check.named_fields(model) & exclude]
    if not asked:
        return []
    named = set().union(*(check.named_fields(model) for check in asked))
    unnamed = {field.name for field in model._meta.local_concrete_fields} - named
    against = instance._get_field_expression_map(meta=model._meta, exclude=unnamed | ({"pk"} - named))
    query = Query(None)
    for name, value in against.items():
        query.add_annotation(
            value if hasattr(value, "resolve_expression") else models.Value(value), name, select=False
        )
    for number, check in enumerate(asked):
        holds = models.ExpressionWrapper(models.Q(check.condition), output_field=models.BooleanField())
        query.add_annotation(Coalesce(holds, True, output_field=models.BooleanField()), f"check_{number}")
    connection = connections[using]
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            answer = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as error:  # as Django's own check: the database's constraint still holds
        logger.warning("Could not ask the database about %s's checks: %s", model.__name__, error)
        return []
    return [check for check, holds in zip(asked, answer, strict=True) if not holds]


class ChecksInOneQuery:
    """For a model: ``full_clean()`` asks about all of its ``CheckConstraint`` in one query
    (``failing_checks``); its other constraints are validated as Django does."""

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model, constraints in self.get_constraints():
            checks = [constraint for constraint in constraints if isinstance(constraint, CheckConstraint)]
            for check in failing_checks(model, self, checks, exclude, using):
                error = ValidationError(check.get_violation_error_message(), code=check.violation_error_code)
                errors = error.update_error_dict(errors)
            for constraint in constraints:
                if constraint in checks:
                    continue
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

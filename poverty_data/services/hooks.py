"""A hook point for layers above the registry that keep figures derived from it (the dashboards).

An app above ``poverty_data`` registers a callable in its ``AppConfig.ready()``::

    from poverty_data.services.hooks import REGISTRY_CHANGED_HOOKS
    REGISTRY_CHANGED_HOOKS.append(summaries_rebuild)   # called as summaries_rebuild(batch)

Each hook runs after the transaction that applied (``households_import``) or undid (``import_undo``) a batch
commits, with that batch. No signals: the import calls the hooks explicitly, in this one place.
"""

from collections.abc import Callable

from django.db import transaction

REGISTRY_CHANGED_HOOKS: list[Callable] = []


def registry_changed(batch) -> None:
    for hook in list(REGISTRY_CHANGED_HOOKS):
        transaction.on_commit(lambda hook=hook: hook(batch))

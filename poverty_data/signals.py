"""Signals for apps above poverty_data (poverty_data must not import them: docs/architecture.md, "Layers").

``registry_changed`` is sent explicitly when an import is applied or undone (the importer writes with raw SQL,
so no model signal fires). Keyword arguments: ``batch_id``; ``households_changed`` (False for an import that
created, updated and deactivated nothing, such as a re-import of an unchanged file: the figures' version
moves, nothing needs recounting; True when absent).
"""

from django.dispatch import Signal

registry_changed = Signal()

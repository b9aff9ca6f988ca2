"""Signals for apps above poverty_data (poverty_data must not import them: docs/architecture.md, "Layers").

``registry_changed`` is sent explicitly when an import is applied or undone (the importer writes with raw SQL,
so no model signal fires). Keyword argument: ``batch_id``.
"""

from django.dispatch import Signal

registry_changed = Signal()

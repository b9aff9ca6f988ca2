"""Signals for apps above poverty_data (DESIGN 8a: poverty_data must not import them).

``registry_changed`` is sent explicitly when an import is applied or undone (the importer writes with raw SQL,
so no model signal fires). Keyword argument: ``batch_id``.
"""

from django.dispatch import Signal

registry_changed = Signal()

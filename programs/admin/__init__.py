"""The programs back office, one module per area; importing this package registers them all."""

from programs.admin import delivery, matching, program, realisation  # noqa: F401

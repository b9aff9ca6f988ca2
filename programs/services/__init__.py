"""What writes programs: the review workflow, matching to households, delivery and realisation."""

from programs.services.workflow import (  # noqa: F401
    DINSOS_DECISIONS,
    TRANSITIONS,
    ProgramError,
    program_approve,
    program_attach,
    program_cancel,
    program_detach,
    program_reject,
    program_request_revision,
    program_save,
    program_submit,
    program_withdraw,
)

"""What writes programs: the review workflow, matching to households, delivery and realisation."""

from programs.services.delivery import (  # noqa: F401
    TERMS_VERSION,
    DeliveryError,
    DeliveryRow,
    ListAccess,
    agreement_in_force,
    beneficiaries_report_delivery,
    beneficiary_list_access,
    data_use_accept,
    data_use_acceptance,
)
from programs.services.program import (  # noqa: F401
    DINSOS_DECISIONS,
    TRANSITIONS,
    ProgramError,
    program_actions,
    program_approve,
    program_attach,
    program_cancel,
    program_detach,
    program_event_record,
    program_missing_documents,
    program_reject,
    program_request_revision,
    program_save,
    program_submit,
    program_transition,
    program_withdraw,
)
from programs.services.realisation import (  # noqa: F401
    program_remind,
    realisation_return,
    realisation_submit,
    realisation_verify,
)

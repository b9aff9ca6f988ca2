"""What changes the register and the cycle; every status change of an entry happens in these modules."""


class CycleError(Exception):
    """A change to the register or the cycle is not allowed; the message is for the user."""

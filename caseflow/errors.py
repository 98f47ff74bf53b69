"""Domain errors: raised by services, turned into form errors or messages by views."""


class DomainError(Exception):
    """A business rule refused the operation; the message is for the user, in their language."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it does."""


class Conflict(DomainError):
    """Someone else changed the object since the user loaded it; `dossier_id` names the
    dossier it belongs to, so the page can say what changed meanwhile."""

    def __init__(self, message: str, field: str | None = None, dossier_id: int | None = None):
        super().__init__(message, field)
        self.dossier_id = dossier_id

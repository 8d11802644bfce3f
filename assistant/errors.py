"""Domain errors. The library raises these; only cli/ and ui/ turn them into messages.

Every message names the value that was wrong and what to do about it.
"""


class AssistantError(Exception):
    """Base class for errors a user can act on."""


class ConfigError(AssistantError):
    """A setting has a value that cannot work."""


class ModelNotAvailable(AssistantError):
    """The embedding model is not installed locally (we never download one)."""


class IndexMissing(AssistantError):
    """No index has been built yet."""


class BadQuestion(AssistantError):
    """The question is empty or unusable."""


class UnreadableFile(AssistantError):
    """A source file could not be read; the message says why."""


class UnknownOrganisation(AssistantError):
    """A named organisation is not a Swedish municipality or region."""


class StrategyNotFound(AssistantError):
    """The corpus holds no strategy matching the request."""


class IndexBusy(AssistantError):
    """Another ingest holds the index folder's writer lock for too long."""


class IndexWriteFailed(AssistantError):
    """Writing a new index generation failed (full disk, permissions); the previous one is live."""


class IndexDamaged(AssistantError):
    """A file of the live index generation cannot be read; ingest rebuilds it."""


class LanguageModelUnavailable(AssistantError):
    """The language model for generated answers is missing, corrupt, or its server does not answer."""


class ReaderModelInvalid(AssistantError):
    """The reader model's shipped weights are missing or do not match their recorded checksum."""

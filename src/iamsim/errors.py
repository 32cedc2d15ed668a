"""The errors iamsim raises, all rooted at :class:`IamsimError`.

An access denial is never an exception: the engine returns it as a
``Decision``. These errors mean that a request or an input could not be
handled at all::

    IamsimError
    ├── PolicyError (ValueError)
    │   ├── PolicySyntaxError        the JSON or a policy element is malformed
    │   └── PolicyValidationError    well-formed, but breaks a rule of its kind
    ├── InputError (ValueError)      a scenario file or export is unusable
    ├── NoSuchEntity (LookupError)   a principal, policy or account is unknown
    ├── AuthenticationError
    │   ├── InvalidCredentials       unknown, expired or tampered credentials
    │   └── SignatureMismatch        a SigV4 signature does not verify
    └── Unsupported                  behaviour iamsim does not emulate yet

Every error carries the offending place (``where``: a file, JSON path or
line:column) and an optional ``hint`` saying how to fix it. Messages are
one line, start lowercase and quote user input with ``repr``.

This module imports nothing of iamsim.
"""

from __future__ import annotations


class IamsimError(Exception):
    """Root of every error iamsim raises on purpose."""

    def __init__(self, message: str, *, where: str = "", hint: str = "") -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        """The one-line message with its place, as shown to a user."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text = f"{text} (hint: {self.hint})"
        return text

    def located(self, prefix: str) -> IamsimError:
        """Prefix the place with an outer location (a file or parent path)."""
        where = (
            f"{prefix}{self.where}"
            if self.where.startswith("[")
            else (f"{prefix}.{self.where}" if self.where else prefix)
        )
        self.where = where
        self.args = (self.render(),)
        return self


class PolicyError(IamsimError, ValueError):
    """A policy document cannot be used."""


class PolicySyntaxError(PolicyError):
    """A policy is not valid JSON or an element has the wrong shape."""


class PolicyValidationError(PolicyError):
    """A well-formed policy breaks a rule AWS enforces for its kind."""


class InputError(IamsimError, ValueError):
    """A scenario file, export or other outside input is unusable."""


class NoSuchEntity(IamsimError, LookupError):
    """A named principal, policy, account or resource does not exist."""


class AuthenticationError(IamsimError):
    """A caller could not be authenticated."""


class InvalidCredentials(AuthenticationError):
    """Credentials are unknown, expired or have been altered."""


class SignatureMismatch(AuthenticationError):
    """A request's SigV4 signature does not match the one computed."""


class Unsupported(IamsimError, NotImplementedError):
    """The request reaches behaviour that iamsim does not emulate."""

"""The project's one exception hierarchy: every class this module defines, as the tree below.

    IROError                      base: every error this project raises on purpose
    ├── PolicyError               a council policy file is broken (names file, field and fix)
    ├── CalendarError             a date outside the calendar's range, a bad closure day
    ├── TransitionNotAllowed      a resolution state-machine move that the procedure does not allow
    │   └── CafcassNotDiscussed   a Cafcass referral before the discussion 004 s5.3 requires
    ├── InputError                bad input from outside: recorded and shown to a person, never dropped
    │   ├── NoCaseReference       an event or email with no case reference in it
    │   ├── UnknownPerson         an address that is not on the roster
    │   ├── Unclassifiable        an email nobody can classify
    │   └── ImportError_          a bad row in a roster or SSDA903 file (file, line, reason)
    ├── TemplateError             a Word template that cannot be rendered
    │   └── MissingFields         template and context disagree (names the template and the fields)
    ├── StoreError                the fact store failed (not a duplicate: duplicates are no-ops)
    ├── GraphError                Microsoft Graph failed; ODataError never leaves graph_clients/
    │   ├── NotFound
    │   ├── Throttled             429 after retries (carries retry_after seconds)
    │   ├── Unavailable           5xx / timeout after retries
    │   └── PermissionDenied      403 (names the application permission needed)
    └── DeliveryError             a Teams card could not be delivered
        └── DeliveryUncertain     it may have been delivered (a read timeout): never retried blind

Subclasses of the above defined next to the code that raises them (catch them by their base):
    UnreadableTimescale           doc_templates/timescale.py (an InputError): a decision's due cell is no date
    WorkflowsDeliveryError        graph_clients/teams/workflows.py (a DeliveryError): names the route, never the URL
    WorkflowsDeliveryUncertain    graph_clients/teams/workflows.py (WorkflowsDeliveryError, DeliveryUncertain)

Outside the hierarchy (not errors a caller handles):
    Incomplete                    function_app/runtime.py: a signal to the host that isolated parts failed, so
                                  the trigger runs again (done parts are not redone)
    BadRow                        store/imports/csvfile.py: a row's validation failed; the reader turns it into
                                  ImportError_ with file and line
Private signals (a leading underscore: function_app/once._LeaseLost, rules/policy._At) never leave the module
that raises them, so no caller handles them and they are not listed.

Messages carry case references only, never a child's name or case notes (special-category data).
"""

from __future__ import annotations


class IROError(Exception):
    """Base of every error this project raises on purpose."""


class PolicyError(IROError):
    def __init__(self, file: str, field: str, problem: str, fix: str) -> None:
        self.file, self.field, self.problem, self.fix = file, field, problem, fix
        super().__init__(f"{file}: {field}: {problem}. Fix: {fix}")


class CalendarError(IROError):
    pass


class TransitionNotAllowed(IROError):
    def __init__(self, state: str, event: str, allowed: list[str] | tuple[str, ...]) -> None:
        self.state, self.event, self.allowed = state, event, tuple(allowed)
        options = ", ".join(self.allowed) or "none (this is a final state)"
        super().__init__(f"cannot '{event}' from '{state}'; allowed from '{state}': {options}")


class CafcassNotDiscussed(TransitionNotAllowed):
    """004 s5.3: before an IRO refers to Cafcass they discuss it with the IRO service manager and AD QA."""

    def __init__(self, state: str, event: str, allowed: list[str] | tuple[str, ...]) -> None:
        super().__init__(state, event, allowed)
        self.args = (
            f"cannot '{event}' from '{state}': no discussion with the IRO service manager and the Assistant "
            "Director (Quality Assurance) is on record (004 s5.3); record cafcass_discussed first. "
            f"Allowed from '{state}': {', '.join(self.allowed)}",
        )


class InputError(IROError):
    """Bad input from outside. `reason` is safe to log (no names); `what_to_do` tells a person."""

    def __init__(self, reason: str, what_to_do: str = "", case_ref: str | None = None) -> None:
        self.reason, self.what_to_do, self.case_ref = reason, what_to_do, case_ref
        text = reason + (f" What to do: {what_to_do}" if what_to_do else "")
        super().__init__(text)


class NoCaseReference(InputError):
    pass


class UnknownPerson(InputError):
    pass


class Unclassifiable(InputError):
    pass


class ImportError_(InputError):  # noqa: N801 - trailing underscore: not the builtin ImportError
    def __init__(self, file: str, line: int, reason: str) -> None:
        self.file, self.line = file, line
        super().__init__(f"{file}:{line}: {reason}", "correct the row and import the file again")


class TemplateError(IROError):
    pass


class MissingFields(TemplateError):
    def __init__(self, template: str, missing: list[str] | tuple[str, ...], where: str = "context") -> None:
        self.template, self.missing = template, tuple(sorted(missing))
        super().__init__(
            f"template '{template}': {where} lacks {', '.join(self.missing)}; "
            "add them to the context or correct the template's tags"
        )


class StoreError(IROError):
    pass


class GraphError(IROError):
    def __init__(self, message: str, status: int | None = None, request_id: str | None = None) -> None:
        self.status, self.request_id = status, request_id
        super().__init__(message)


class NotFound(GraphError):
    pass


class Throttled(GraphError):
    def __init__(self, message: str, retry_after: float | None = None, **kw) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class Unavailable(GraphError):
    pass


class PermissionDenied(GraphError):
    def __init__(self, message: str, permission: str | None = None, **kw) -> None:
        self.permission = permission
        hint = f" (grant the application permission {permission})" if permission else ""
        super().__init__(message + hint, **kw)


class DeliveryError(IROError):
    pass


class DeliveryUncertain(DeliveryError):  # noqa: N818 - a state, not a mistake
    """The target may have accepted the message (the answer never came): sending again could double it."""

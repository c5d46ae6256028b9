# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one pipeline every managing module runs, whichever way it is executed.

    validate -> desired -> read -> compare -> changes -> apply | predict -> result + diff

An area plugs in one Resource per state (present / absent). The pipeline alone knows check
mode: the same list of changes is applied, or only predicted, and drives the diff.

The one rule for "unset", in every area: the desired state holds the managed settings only. A
setting the task does not manage is absent from it (and not read); a managed setting whose
desired value is None or empty is removed. purge_* options make lists exact.

Guards are data too: a change that would destroy audit data carries a Guard (the option that
allows it and what it destroys). A real run refuses it before its first write; check mode reports
the change with a warning, so a drift check shows the drift instead of stopping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .changes import Change, build_result
from .errors import CloudAuditError


class InputValidated(BaseException):
    """Ends a validate-only run once the input is validated and the desired state built (see execute()), or at
    its first AWS call, whichever comes first: a desired state that needs AWS (a KMS alias to resolve) stops there.

    A BaseException, as sys.exit() is: no `except Exception` of an area stops it. Raised only for a module
    object whose ``validate_only`` is true (the in-process path's pre-flight of cloudaudit.aws.resources).
    """


@dataclass(frozen=True)
class Guard:
    """Why a change needs an explicit option: the option, and what applying the change destroys."""

    option: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What a step may use of the run: parameters, modes, region, AWS clients, the caller's identity.

    module: an AnsibleAWSModule, or the in-process stand-in of the action plugins (same attributes).
    """

    module: Any
    _clients: dict[str, Any] = field(default_factory=dict)
    _identity: dict[str, str] | None = None

    @property
    def params(self) -> dict[str, Any]:
        return self.module.params

    @property
    def check_mode(self) -> bool:
        return bool(self.module.check_mode)

    @property
    def diff(self) -> bool:
        return bool(getattr(self.module, "_diff", False))

    @property
    def region(self) -> str | None:
        return self.module.region

    def client(self, service: str) -> Any:
        """One client per service and run (created on first use only)."""
        if service not in self._clients:
            self._clients[service] = self.module.client(service)
        return self._clients[service]

    def identity(self) -> dict[str, str]:
        """{'account_id', 'arn', 'partition'} of the credentials in use: one STS call per run, when asked."""
        if self._identity is None:
            from .account import caller_identity

            self._identity = caller_identity(self.module)
        return self._identity

    def warn(self, message: str) -> None:
        # The AnsibleModule behind an AnsibleAWSModule: amazon.aws's own warn() also copies the warnings into
        # exit_json(), which ansible-core >= 2.21 deprecates (it reports module warnings itself), so a warning
        # of ours would come with a deprecation warning on the classic module path only.
        getattr(self.module, "_module", self.module).warn(message)


class Resource:
    """One AWS resource of an area, in one state, as the pipeline drives it.

    The steps are called once each, in order: validate, desired, read, compare, confirm, then either
    write (each change, in the order compare gave) or nothing (check mode), then after and
    result. Steps keep what they learn on the instance (e.g. the ARN a creation returned), so
    nothing travels beside the desired state.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def validate(self) -> None:
        """The whole input, before any AWS call; raise CloudAuditError naming the option."""

    def desired(self) -> Any:
        """The desired state: managed settings only, values resolved (may read AWS, never write)."""
        raise NotImplementedError

    def read(self, desired: Any) -> Any:
        """The current state of what desired manages (None when the resource does not exist)."""
        raise NotImplementedError

    def compare(self, desired: Any, current: Any) -> list[Change]:
        """The ordered changes from current to desired (pure)."""
        raise NotImplementedError

    def precheck(self) -> None:
        """Read-only checks of what the input needs of the account (e.g. organization membership), made by a
        validate-only run: the pre-flight of cloudaudit.aws.resources, before the first step of a role writes. The
        module's own run checks the same where it needs to (compare / confirm). Never writes; nothing by default."""

    def confirm(self, desired: Any, current: Any, changes: list[Change]) -> None:
        """What only matters when something changes and needs AWS to know (e.g. a bucket setting that
        forbids any change): after the guards, before the first write, in check mode too; raise
        CloudAuditError to refuse the run. Nothing by default."""

    def write(self, change: Change) -> None:
        """Make one change in AWS (never called in check mode)."""
        raise NotImplementedError

    def after(self, desired: Any, current: Any, changes: list[Change]) -> Any:
        """The state after the run: predicted from desired and current (also after a real run)."""
        raise NotImplementedError

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        """The managed settings of a state, as the diff shows them ({} for none)."""
        return dict(state or {})

    def result(self, desired: Any, after: Any) -> dict[str, Any]:
        """The keys the module returns besides changed, changes and diff."""
        return {}


def guard_refusal(changes: list[Change]) -> CloudAuditError | None:
    """The error of the first guarded change (None when no change is guarded)."""
    for change in changes:
        guard = change.details.get("guard")
        if isinstance(guard, Guard):
            return CloudAuditError(guard.message, guard.option, **dict(guard.details))
    return None


def execute(ctx: Context, resource: Resource) -> dict[str, Any]:
    """Run the steps of resource; the module result (changed, changes, diff, state)."""
    resource.validate()
    if getattr(ctx.module, "validate_only", False):
        _validated(ctx, resource)
    desired = resource.desired()
    current = resource.read(desired)
    changes = resource.compare(desired, current)
    refusal = guard_refusal(changes)
    if refusal is not None:
        if not ctx.check_mode:
            raise refusal
        ctx.warn(f"check mode: {refusal.msg} (a real run refuses this change)")
    resource.confirm(desired, current, changes)
    if not ctx.check_mode:
        for change in changes:
            resource.write(change)
    after = resource.after(desired, current, changes)
    return build_result(changes, resource.view(current, desired), resource.view(after, desired), ctx.diff, **resource.result(desired, after))


def _validated(ctx: Context, resource: Resource) -> None:
    """The end of a validate-only run: the desired state built as far as it needs no AWS call, then precheck() with
    reads allowed (what the input needs of the account); raises InputValidated when nothing failed."""
    try:
        resource.desired()
    except InputValidated:
        pass  # a value to resolve in AWS (e.g. a KMS alias): resolved when the module runs
    ctx.module.validate_only = "reads"
    ctx._clients.clear()  # pylint: disable=protected-access  # the clients of the input checks could not call AWS
    resource.precheck()
    raise InputValidated()


def run_state(ctx: Context, resources: Mapping[str, Callable[[Context], Resource]], state_option: str = "state") -> dict[str, Any]:
    """execute() the Resource of the state the task asks for (present / absent)."""
    return execute(ctx, resources[ctx.params.get(state_option) or "present"](ctx))

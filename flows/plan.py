"""The mission, in order: what the runner is handed."""
from __future__ import annotations

from mastomove.agent.steps import Plan, Role, Step, StepContext
from mastomove.flows.steps.alias import AliasStep
from mastomove.flows.steps.announce import AnnounceStep
from mastomove.flows.steps.backup import BackupStep
from mastomove.flows.steps.export import ExportStep
from mastomove.flows.steps.followers import ArrivalsStep
from mastomove.flows.steps.imports import ImportsStep
from mastomove.flows.steps.inspect import inspect_accounts
from mastomove.flows.steps.lists import ListsStep
from mastomove.flows.steps.move import MoveStep
from mastomove.flows.steps.preflight import PreflightStep
from mastomove.flows.steps.profile import ProfileStep
from mastomove.flows.steps.sign_in import SignInStep, sign_in
from mastomove.flows.steps.verify import VerifyStep


def migration_steps() -> list[Step]:
    # Profile and announcement before any follow is imported: people who get a follow from the
    # new account see who it is. The alias and the checks come last, then the backup of what the
    # old account loses (its notifications and private mentions, its followers list), right before
    # the pause. After the move: the checks, then who of the followers came along.
    return [
        SignInStep(),
        ProfileStep(),
        AnnounceStep(),
        ExportStep(),
        ImportsStep(),
        ListsStep(),  # only where the new server cannot import lists (4.1 and older)
        AliasStep(),
        PreflightStep(),
        BackupStep(),
        MoveStep(),
        VerifyStep(),
        ArrivalsStep(),  # who came along, from the followers list the backup kept
    ]


def _sign_in_again(ctx: StepContext, role: Role) -> None:
    sign_in(ctx, role)


def migration_plan() -> Plan:
    return Plan(steps=migration_steps(), sign_in=_sign_in_again, inspect=inspect_accounts)

"""The mission, in order: what the runner is handed."""
from __future__ import annotations

from agent.steps import Plan, Role, Step, StepContext
from flows.steps.alias import AliasStep
from flows.followup import left_to_person
from flows.steps.announce import AnnounceStep
from flows.steps.backup import BackupStep
from flows.steps.export import ExportStep
from flows.steps.imports import ImportsStep
from flows.steps.inspect import inspect_accounts
from flows.steps.move import MoveStep
from flows.steps.preflight import PreflightStep
from flows.steps.profile import ProfileStep
from flows.steps.sign_in import SignInStep, sign_in
from flows.steps.verify import VerifyStep


def migration_steps() -> list[Step]:
    # Profile and announcement before any follow is imported: people who get a follow from the
    # new account see who it is. The alias and the checks come last, then the backup of what the
    # old account loses (its notifications and private mentions), right before the pause.
    return [
        SignInStep(),
        ProfileStep(),
        AnnounceStep(),
        ExportStep(),
        ImportsStep(),
        AliasStep(),
        PreflightStep(),
        BackupStep(),
        MoveStep(),
        VerifyStep(),
    ]


def _sign_in_again(ctx: StepContext, role: Role) -> None:
    sign_in(ctx, role)


def migration_plan() -> Plan:
    return Plan(steps=migration_steps(), sign_in=_sign_in_again, inspect=inspect_accounts,
                followups=left_to_person)

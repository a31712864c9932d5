"""The steps' results in the state file: saved as JSON, read back as the step's own dataclass
(agent.steps.StepResult), and composed into the report's sections and what is left to the person.

Reading is tolerant, so that a run folder written by an older mastomove still resumes and reports:
a key no field has any more is ignored, a missing one takes the field's default. A result that
does not read at all (a value of another type) is None, as if the step had not finished: the
runner then runs that step again (steps are written to be rerun) instead of trusting it."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from pydantic import TypeAdapter, ValidationError

from mastomove.agent.steps import FollowUp, R, Section, Step, StepResult


_ADAPTERS: dict[type, TypeAdapter] = {}


def _adapter(kind: type) -> TypeAdapter:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def to_json(result: StepResult) -> dict[str, Any]:
    """A result as the state file keeps it."""
    if not isinstance(result, StepResult):
        raise TypeError(f"a step returned {type(result).__name__}, not its StepResult dataclass")
    return _adapter(type(result)).dump_python(result, mode="json")


def from_json(kind: type[R], data: Any) -> R | None:
    """A saved result as `kind`, or None when there is none or it no longer reads."""
    if not isinstance(data, Mapping):
        return None
    try:
        return _adapter(kind).validate_python(dict(data))
    except ValidationError:
        return None


class SavedResults:
    """agent.steps.Results over the state file's `steps` (name -> record with its `result`)."""

    def __init__(self, steps: Mapping[str, Any] | None):
        self.steps = steps or {}

    def record(self, name: str) -> Any:
        record = self.steps.get(name)
        return record.get("result") if isinstance(record, Mapping) else None

    def of(self, kind: type[R]) -> R | None:
        return from_json(kind, self.record(kind.step))


def sections(steps: Iterable[Step], results: SavedResults) -> list[Section]:
    """The report's sections, each step's own, in the plan's order."""
    found = []
    for step in steps:
        contribute = getattr(step, "report_section", None)
        if contribute is not None:
            section = contribute(results.of(step.result_type), results)
            if section is not None:
                found.append(section)
    return found


def followups(steps: Iterable[Step], results: SavedResults) -> list[FollowUp]:
    """What is left to the person, each step saying its own, in the plan's order."""
    found: list[FollowUp] = []
    for step in steps:
        contribute = getattr(step, "followups", None)
        if contribute is not None:
            found.extend(contribute(results.of(step.result_type), results))
    return found

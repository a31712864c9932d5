"""Running independent migrations in the background, side by side (each on its own cluster), and
the shared rule for a faulty run: it ends completed, or stopped with one clear line and a resumable state,
and running it again finishes the job."""
from __future__ import annotations

import concurrent.futures
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from harness import REGISTRY, Agent, AgentResult, Registry, use_registry


@dataclass
class JobContext:
    base: Path  # a folder of the job's own
    short_timeouts: Path  # playwright.config.json with short timeouts


class Campaigns:
    """Whole migrations that take a while, started in the background when the session starts
    (only those the selected tests need) so they overlap; a test waits for its own. Their agent
    runs are scanned for secrets by the test that claims the result."""

    def __init__(self) -> None:
        self.jobs: dict[str, Callable[[JobContext], Any]] = {}
        self.weights: dict[str, float] = {}
        self.futures: dict[str, concurrent.futures.Future] = {}
        self.registries: dict[str, Registry] = {}
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def register(self, name: str, job: Callable[[JobContext], Any], *, weight: float = 1.0) -> None:
        """`weight`: how long it takes, roughly; the longest start first, so they finish together."""
        self.jobs[name] = job
        self.weights[name] = weight

    def start(self, names: list[str], base: Path, short_timeouts: Path, workers: int) -> None:
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="campaign")
        for name in sorted(names, key=lambda n: -self.weights.get(n, 1.0)):
            registry = self.registries[name] = Registry()
            context = JobContext(base / name.replace(":", "-"), short_timeouts)
            self.futures[name] = self._executor.submit(self._run, name, registry, context)

    def _run(self, name: str, registry: Registry, context: JobContext) -> Any:
        use_registry(registry)
        try:
            context.base.mkdir(parents=True, exist_ok=True)
            return self.jobs[name](context)
        finally:
            use_registry(None)

    def result(self, name: str) -> Any:
        """The job's result (its exception re-raised); its agent runs go to the secrets check."""
        if name not in self.futures:
            raise LookupError(f"campaign {name} was not started (is the test marked with it?)")
        try:
            return self.futures[name].result()
        finally:
            with self._lock:
                for record in self.registries[name].take():
                    REGISTRY.add(record)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


CAMPAIGNS = Campaigns()


@dataclass
class Attempts:
    """Every run of one migration until it completed."""

    results: list[AgentResult] = field(default_factory=list)

    @property
    def final(self) -> AgentResult:
        return self.results[-1]

    @property
    def completed(self) -> bool:
        return bool(self.results) and self.final.code == 0


# What a retry says while it retries; a run that stopped must not end on one of these.
PROMISES = ("signing in again", "trying again", "sent again")


def check_clean_stop(result: AgentResult) -> list[str]:
    """A run that did not complete stopped the documented way: exit 3 (nothing irreversible) or 4
    (after the move), one 'Stopped:' line, state.json saying 'stopped', the summary written."""
    problems = []
    if result.code not in (3, 4):
        problems.append(f"exit code {result.code}, not 3 or 4")
    if not result.stop_line():
        problems.append("no 'Stopped:' line")
    elif any(promise in result.stop_line() for promise in PROMISES):
        problems.append(f"the last word promises another try: {result.stop_line()!r}")
    outcome = result.state.get("outcome", {})
    if outcome.get("status") != "stopped" or not outcome.get("message"):
        problems.append(f"state.json outcome is {outcome}")
    if not (result.run_dir / "summary.md").is_file():
        problems.append("no summary.md")
    return problems


def until_done(make_agent: Callable[[int], Agent], *, tries: int = 3,
               on_start: Callable[[Agent], None] | None = None) -> Attempts:
    """Run the migration; after a clean stop, run it again with the same run folder."""
    attempts = Attempts()
    for number in range(tries):
        agent = make_agent(number).start()
        if on_start:
            on_start(agent)
        result = agent.wait()
        attempts.results.append(result)
        if result.code == 0:
            break
        problems = check_clean_stop(result)
        assert not problems, f"run {number + 1} did not stop cleanly ({'; '.join(problems)}):\n{result.output[-3000:]}"
    return attempts


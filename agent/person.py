"""The person at the terminal: what they read, the progress they watch, the one question they
answer before the move. Rich for output; nothing here knows Mastodon."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Callable, Sequence

from rich.console import Console
from rich.panel import Panel
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TaskProgressColumn,
                           TextColumn, TimeRemainingColumn)
from rich.prompt import Prompt

from mastomove.agent.steps import SAVED


class ConsolePerson:
    def __init__(self, *, confirm_move: str | None = None, interactive: bool | None = None,
                 console: Console | None = None):
        self.console = console or Console(stderr=True, highlight=False)
        self.preconfirmed = confirm_move
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        # Told what is happening, in a line (the watch-along banner listens here).
        self.observers: list[Callable[[str], None]] = []
        self._headline = ""
        self.live = self.console.is_terminal  # progress bars redrawn in place (one person per terminal)
        self._bars: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._printed: dict[str, tuple[int, int | None]] = {}

    def _tell(self, detail: str = "") -> None:
        line = f"{self._headline} · {detail}" if detail and self._headline else (detail or self._headline)
        for observer in self.observers:
            observer(line)

    def say(self, text: str) -> None:
        self.console.print(text)

    def step(self, number: int, total: int, title: str, *, resumed: bool = False) -> None:
        self._stop_bars()
        tail = " [dim](checking what was done before)[/dim]" if resumed else ""
        self.heading(f"[bold]Step {number} of {total}[/bold]: {title}{tail}")
        self._headline = f"Step {number} of {total}: {title}"
        self._tell("checking what was done before" if resumed else "")

    def heading(self, text: str) -> None:
        self.console.rule(text, align="left")

    def progress(self, label: str, done: int, total: int | None) -> None:
        of = f" of {total}" if total is not None else ""
        self._tell(f"{label[:1].lower()}{label[1:]}: {done}{of}")
        if self.live:
            self._bar(label, done, total)
            return
        # Logs and pipes: a line when the share moves by a tenth, not one per reading.
        bucket = (10 * done // total) if total else done
        if self._printed.get(label) == (bucket, total):
            return
        self._printed[label] = (bucket, total)
        percent = f" ({100 * done // total}%)" if total else ""
        self.console.print(f"  {label}: {done}{of}{percent}")

    def _bar(self, label: str, done: int, total: int | None) -> None:
        if self._bars is None:
            self._bars = Progress(SpinnerColumn(), TextColumn("  {task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TaskProgressColumn(), TextColumn("time left"),
                                  TimeRemainingColumn(), console=self.console, transient=False)
            self._bars.start()
        if label not in self._tasks:
            self._tasks[label] = self._bars.add_task(label, total=total)
        self._bars.update(self._tasks[label], completed=done, total=total)

    def _stop_bars(self) -> None:
        if self._bars is not None:
            self._bars.stop()
        self._bars, self._tasks, self._printed = None, {}, {}

    def waiting(self, what: str, seconds: float) -> None:
        at = (datetime.now() + timedelta(seconds=seconds)).strftime("%H:%M:%S")
        self._tell(f"waiting for {what}, next try at {at}")
        self.console.print(f"  [yellow]waiting[/yellow] {what}; next try in {seconds:.0f} s, at {at}")

    def close(self) -> None:
        self._stop_bars()

    def confirm_move(self, report: Sequence[str], new_handle: str) -> bool:
        self._stop_bars()
        self._tell("waiting for you: type the new handle in the terminal to move")
        checked = [line for line in report if not line.startswith(SAVED)]
        saved = [line.removeprefix(SAVED) for line in report if line.startswith(SAVED)]
        body = "\n".join(f"• {line}" for line in checked) or "(nothing reported)"
        self.console.print(Panel(body, title="Verified before the move", border_style="green"))
        if saved:
            self.console.print(Panel("\n".join(f"• {line}" for line in saved),
                                     title="Saved before the move (the old account loses access to these)",
                                     border_style="cyan"))
        self.console.print(Panel(
            "The next step moves your followers and turns the old account into a redirect.\n"
            "After it, the old account's notifications and direct messages are no longer usable "
            + ("(the copies listed above stay in the run folder), " if saved else
               "and [bold]no copy of them was saved[/bold], ")
            + "and you cannot move again for 30 days.",
            title="This cannot be undone", border_style="red"))
        if self.preconfirmed is not None:
            self.console.print(f"Confirmed in advance with --confirm-move {self.preconfirmed}.")
            return True  # its value was checked against the new handle when the run started
        if not self.interactive:
            self.console.print("No terminal to ask, and no --confirm-move given: nothing was moved.")
            return False
        typed = Prompt.ask(f"To move, type the new handle ([bold]{new_handle}[/bold]); anything else stops",
                           console=self.console, default="")
        return typed.strip().lstrip("@") == new_handle

    def ask_secret(self, label: str) -> str:
        return Prompt.ask(label, password=True, console=self.console)

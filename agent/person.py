"""The person at the terminal: what they read, the progress they watch, the one question they
answer before the move. Rich for output; nothing here knows Mastodon.

Everything said is plain text with a style: nothing interpolated (a handle from a CSV, a server's
error message) is ever read as Rich markup, and every line passes the run's redactor first."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable, Sequence

from rich.console import Console
from rich.panel import Panel
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TaskProgressColumn,
                           TextColumn, TimeRemainingColumn)
from rich.prompt import Prompt
from rich.text import Text

from mastomove.agent.steps import SAVED

if TYPE_CHECKING:
    from mastomove.agent.confirmation import Confirmation


class ConsolePerson:
    def __init__(self, *, confirmation: "Confirmation | None" = None, interactive: bool | None = None,
                 console: Console | None = None):
        self.console = console or Console(stderr=True, highlight=False)
        self.confirmation = confirmation  # the move confirmed in advance, and by what
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        # Told what is happening, in a line (the watch-along banner listens here).
        self.observers: list[Callable[[str], None]] = []
        self._headline = ""
        self.live = self.console.is_terminal  # progress bars redrawn in place (one person per terminal)
        self._bars: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._printed: dict[str, tuple[int, int | None]] = {}
        self.redact: Callable[[str], str] = lambda text: text  # the run's redactor, once there is a run

    def text(self, text: str, style: str | None = None, *, label: str | None = None,
             label_style: str | None = None) -> Text:
        """`label` (styled) then `text` (styled), as plain text: never parsed as markup."""
        line = Text()
        if label:
            line.append(self.redact(label), style=label_style or "")
            line.append(" ")
        line.append(self.redact(str(text)), style=style or "")
        return line

    def _tell(self, detail: str = "") -> None:
        line = f"{self._headline} · {detail}" if detail and self._headline else (detail or self._headline)
        for observer in self.observers:
            observer(line)

    def say(self, text: str, style: str | None = None, *, label: str | None = None,
            label_style: str | None = None) -> None:
        self.console.print(self.text(text, style, label=label, label_style=label_style))

    def step(self, number: int, total: int, title: str, *, resumed: bool = False) -> None:
        self._stop_bars()
        self.heading(Text.assemble((f"Step {number} of {total}", "bold"), ": ", self.redact(title),
                                   (" (checking what was done before)" if resumed else "", "dim")))
        self._headline = f"Step {number} of {total}: {title}"
        self._tell("checking what was done before" if resumed else "")

    def heading(self, text: "Text | str") -> None:
        self.console.rule(text if isinstance(text, Text) else self.text(text), align="left")

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
        self.console.print(self.text(f"  {label}: {done}{of}{percent}"))

    def _bar(self, label: str, done: int, total: int | None) -> None:
        if self._bars is None:
            self._bars = Progress(SpinnerColumn(), TextColumn("  {task.description}", markup=False), BarColumn(),
                                  MofNCompleteColumn(), TaskProgressColumn(), TextColumn("time left"),
                                  TimeRemainingColumn(), console=self.console, transient=False)
            self._bars.start()
        if label not in self._tasks:
            self._tasks[label] = self._bars.add_task(self.redact(label), total=total)
        self._bars.update(self._tasks[label], completed=done, total=total)

    def _stop_bars(self) -> None:
        if self._bars is not None:
            self._bars.stop()
        self._bars, self._tasks, self._printed = None, {}, {}

    def waiting(self, what: str, seconds: float) -> None:
        at = (datetime.now() + timedelta(seconds=seconds)).strftime("%H:%M:%S")
        self._tell(f"waiting for {what}, next try at {at}")
        self.console.print(self.text(f"{what}; next try in {seconds:.0f} s, at {at}", label="  waiting",
                                     label_style="yellow"))

    def close(self) -> None:
        self._stop_bars()

    def confirm_move(self, report: Sequence[str], new_handle: str) -> bool:
        self._stop_bars()
        self._tell("waiting for you: type the new handle in the terminal to move")
        checked = [line for line in report if not line.startswith(SAVED)]
        saved = [line.removeprefix(SAVED) for line in report if line.startswith(SAVED)]
        body = self.text("\n".join(f"• {line}" for line in checked) or "(nothing reported)")
        self.console.print(Panel(body, title="Verified before the move", border_style="green"))
        if saved:
            self.console.print(Panel(self.text("\n".join(f"• {line}" for line in saved)),
                                     title="Saved before the move (the old account loses access to these)",
                                     border_style="cyan"))
        self.console.print(Panel(Text.assemble(
            "The next step moves your followers and turns the old account into a redirect.\n"
            "After it, the old account's notifications and direct messages are no longer usable ",
            ("(the copies listed above stay in the run folder), " if saved else "and "),
            ("" if saved else "no copy of them was saved", "bold"), ("" if saved else ", "),
            "and you cannot move again for 30 days."),
            title="This cannot be undone", border_style="red"))
        if self.confirmation is not None:
            self.say(self.confirmation.said())
            return True  # its value was checked against the new handle when the run started
        if not self.interactive:
            self.say("No terminal to ask, and no --confirm-move given: nothing was moved.")
            return False
        typed = Prompt.ask(Text.assemble("To move, type the new handle (", (new_handle, "bold"), "); anything else stops"),
                           console=self.console, default="")
        confirmed = typed.strip().lstrip("@") == new_handle
        if confirmed:
            self.say("Confirmed at the terminal.")
        return confirmed

    def ask_secret(self, label: str) -> str:
        return Prompt.ask(label, password=True, console=self.console)

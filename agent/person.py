"""The person at the terminal: what they read, the progress they watch, the one question they
answer before the move. Rich for output; nothing here knows Mastodon."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt


class ConsolePerson:
    def __init__(self, *, confirm_move: str | None = None, interactive: bool | None = None,
                 console: Console | None = None):
        self.console = console or Console(stderr=True, highlight=False)
        self.preconfirmed = confirm_move
        self.interactive = sys.stdin.isatty() if interactive is None else interactive

    def say(self, text: str) -> None:
        self.console.print(text)

    def step(self, number: int, total: int, title: str, *, resumed: bool = False) -> None:
        tail = " [dim](checking what was done before)[/dim]" if resumed else ""
        self.console.rule(f"[bold]Step {number} of {total}[/bold]: {title}{tail}", align="left")

    def progress(self, label: str, done: int, total: int | None) -> None:
        of = f" of {total}" if total is not None else ""
        percent = f" ({100 * done // total}%)" if total else ""
        self.console.print(f"  {label}: {done}{of}{percent}")

    def waiting(self, what: str, seconds: float) -> None:
        at = (datetime.now() + timedelta(seconds=seconds)).strftime("%H:%M:%S")
        self.console.print(f"  [yellow]waiting[/yellow] {what}; next try in {seconds:.0f} s, at {at}")

    def confirm_move(self, report: Sequence[str], new_handle: str) -> bool:
        body = "\n".join(f"• {line}" for line in report) or "(nothing reported)"
        self.console.print(Panel(body, title="Verified before the move", border_style="green"))
        self.console.print(Panel(
            "The next step moves your followers and turns the old account into a redirect.\n"
            "After it, the old account's notifications and direct messages are no longer usable,\n"
            "and you cannot move again for 30 days.",
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

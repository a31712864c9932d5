"""A small self-contained HTML report of one check run: each check in a person's words (its
docstring), its outcome, the finding (page, element, expected, found) and its screenshots, linked
relative to the report so the output folder can be archived as a unit by CI."""
from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from mastomove.agent.files import write_private


@dataclass
class Entry:
    nodeid: str
    title: str  # the check's docstring, first paragraph
    outcome: str = "passed"  # passed, failed, error, skipped
    seconds: float = 0.0
    message: str = ""
    finding: dict[str, Any] | None = None
    images: list[tuple[str, str]] = field(default_factory=list)  # (label, path)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, path): traces, videos


@dataclass
class Report:
    folder: Path
    target: str = ""  # the server and account checked
    entries: dict[str, Entry] = field(default_factory=dict)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def entry(self, nodeid: str, title: str = "") -> Entry:
        if nodeid not in self.entries:
            self.entries[nodeid] = Entry(nodeid, title)
        elif title and not self.entries[nodeid].title:
            self.entries[nodeid].title = title
        return self.entries[nodeid]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries.values():
            counts[entry.outcome] = counts.get(entry.outcome, 0) + 1
        return counts

    def _link(self, path: str) -> str:
        try:
            return html.escape(os.path.relpath(path, self.folder).replace(os.sep, "/"))
        except ValueError:
            return html.escape(Path(path).as_uri())

    def write(self, redact: Callable[[str], str] = lambda text: text) -> Path:
        """Write report.html (owner-only), redacted (`redact`) after it is rendered."""
        counts = self.counts()
        summary = " · ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no checks ran"
        rows = []
        for entry in self.entries.values():
            finding = ""
            if entry.finding:
                f = entry.finding
                finding = (f"<dl><dt>page</dt><dd>{html.escape(f['page'])}</dd>"
                           f"<dt>element</dt><dd>{html.escape(f['element'])}</dd>"
                           f"<dt>expected</dt><dd>{html.escape(f['expected'])}</dd>"
                           f"<dt>found</dt><dd>{html.escape(f['found'])}</dd>"
                           + (f"<dt>at</dt><dd>{html.escape(f['url'])}</dd>" if f.get("url") else "") + "</dl>")
            elif entry.message:
                finding = f"<pre>{html.escape(entry.message)}</pre>"
            images = "".join(
                f'<a href="{self._link(p)}"><img src="{self._link(p)}" alt="{html.escape(label)}" '
                f'title="{html.escape(label)}"></a>' for label, p in entry.images)
            links = " ".join(f'<a href="{self._link(p)}">{html.escape(label)}</a>' for label, p in entry.links)
            rows.append(
                f'<tr class="{entry.outcome}"><td><b>{html.escape(entry.title or entry.nodeid)}</b>'
                f'<div class="id">{html.escape(entry.nodeid)}</div>{finding}</td>'
                f'<td class="outcome">{entry.outcome}</td><td>{entry.seconds:.1f} s</td>'
                f'<td class="shots">{images}{links}</td></tr>')
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mastomove check-ui: {html.escape(self.target)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #ddd; padding: .5rem; vertical-align: top; text-align: left; }}
tr.failed td.outcome, tr.error td.outcome {{ color: #b00; font-weight: bold; }} tr.passed td.outcome {{ color: #070; }}
tr.skipped td.outcome {{ color: #777; }} .id {{ color: #777; font-size: .8em; }}
dl {{ display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; margin: .5rem 0; }} dt {{ color: #777; }} dd {{ margin: 0; }}
pre {{ white-space: pre-wrap; background: #f6f6f6; padding: .5rem; }} .shots img {{ max-width: 240px; border: 1px solid #ccc; margin: 0 .3rem .3rem 0; }}
</style></head><body>
<h1>mastomove check-ui</h1>
<p>{html.escape(self.target)} · {self.started:%Y-%m-%d %H:%M} UTC · <b>{html.escape(summary)}</b></p>
<table><thead><tr><th>check</th><th>outcome</th><th>time</th><th>screenshots</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
</body></html>
"""
        return write_private(self.folder / "report.html", redact(page))

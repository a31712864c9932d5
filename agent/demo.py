"""The real commands against a local cluster of imitation servers (mastomove.fixtures): the
files `mastomove batch` reads and the MASTOMOVE_* variables `mastomove migrate` reads, for the
tests, the benchmarks and scripts. (`mastomove demo` itself: agent.commands.demo.)"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping


def batch_files(movers: list[dict[str, Any]], folder: Path, *,
                overrides: Mapping[str, Mapping[str, str]] | None = None) -> tuple[Path, Path]:
    """accounts.csv and a secrets file (0600) for `mastomove batch` over a local cluster's movers
    (`Instance.add_movers`); `overrides` replaces secrets by handle (a wrong password, ...)."""
    import csv
    import io
    import json

    from mastomove.agent.files import private_dir, write_private

    def handle(side: dict[str, Any]) -> str:
        return f"{side['username']}@{side['domain']}"

    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["old_handle", "old_url", "old_email", "new_handle", "new_url", "new_email"])
    secrets: dict[str, dict[str, str]] = {}
    for mover in movers:
        old, new = mover["old"], mover["new"]
        writer.writerow([handle(old), old["url"], old["email"], handle(new), new["url"], new["email"]])
        for side in (old, new):
            secret = {"password": side["password"], **({"otp_secret": side["otp_secret"]} if side.get("otp_secret") else {})}
            secrets[handle(side)] = {**secret, **(overrides or {}).get(handle(side), {})}
    private_dir(folder)
    return (write_private(folder / "accounts.csv", rows.getvalue()),
            write_private(folder / "secrets.json", json.dumps(secrets)))


def cluster_environment(cluster: Any, *, base: Mapping[str, str] | None = None, otp: bool = True) -> dict[str, str]:
    """The documented MASTOMOVE_* variables for a local cluster's seeded accounts, on top of `base`
    (default: this process's environment, without MASTOMOVE_* variables of its own). For running
    the real command against the local servers: the tests, the benchmarks, scripts."""
    old, new = cluster.credentials["old"], cluster.credentials["new"]
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("MASTOMOVE_")}
    env.update({
        "MASTOMOVE_OLD_HANDLE": old.acct, "MASTOMOVE_OLD_URL": cluster.old.url,
        "MASTOMOVE_OLD_EMAIL": old.email, "MASTOMOVE_OLD_PASSWORD": old.password,
        "MASTOMOVE_NEW_HANDLE": new.acct, "MASTOMOVE_NEW_URL": cluster.new.url,
        "MASTOMOVE_NEW_EMAIL": new.email, "MASTOMOVE_NEW_PASSWORD": new.password,
    })
    if otp and old.otp_secret:
        env["MASTOMOVE_OLD_OTP_SECRET"] = old.otp_secret
    return env

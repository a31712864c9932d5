"""`mastomove demo`: local imitation Mastodon servers, and a whole migration between them."""
from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from pydantic import SecretStr

from mastomove.agent.person import ConsolePerson
from mastomove.agent.settings import Settings


def demo(*, headed: bool, slow_mo: float, version: str, locale: str, follows: int, serve_only: bool,
         old_version: str | None = None, new_version: str | None = None) -> int:
    from mastomove.fixtures.cluster import Cluster

    person = ConsolePerson()
    # Files on a storage origin of their own, as most real servers have them: the archive is
    # downloaded by redirect to a signed link, avatars and headers come from the media host.
    config: dict[str, Any] = {"version": version, "locale": locale, "storage": "s3"}
    for role, chosen in (("old", old_version), ("new", new_version)):
        if chosen:
            config[role] = {"version": chosen}
    shown = version if not (old_version or new_version) else f"{old_version or version} -> {new_version or version}"
    person.say(f"Starting local Mastodon {shown} servers ({locale})…")
    cluster = Cluster.start(port=0, config=config, seed={"follows": follows})
    try:
        old, new = cluster.credentials["old"], cluster.credentials["new"]
        person.say(f"  old: {cluster.old.url}  ({old.acct})")
        person.say(f"  new: {cluster.new.url}  ({new.acct})")
        person.say(f"  remote: {cluster.remote.url}")
        if serve_only:
            person.say(cluster.describe())
            person.say("Serving until Ctrl-C.")
            try:
                while True:
                    time.sleep(3600)  # allow-sleep: the servers run in their own thread
            except KeyboardInterrupt:
                return 0
        settings = Settings(
            _env_file=None,
            old_handle=old.acct, old_url=cluster.old.url, old_email=old.email,
            old_password=SecretStr(old.password),
            old_otp_secret=SecretStr(old.otp_secret) if old.otp_secret else None,
            new_handle=new.acct, new_url=cluster.new.url, new_email=new.email,
            new_password=SecretStr(new.password),
            run_dir=Path("runs") / f"demo-{datetime.now():%Y%m%d-%H%M%S}",
            confirm_move=new.acct,  # a demo between throwaway local servers: answered in advance
            headed=headed, slow_mo=slow_mo, alias_wait_seconds=600, follower_watch_seconds=60,
        )
        from mastomove.agent.app import run_migration

        return run_migration(settings, person=ConsolePerson(confirm_move=new.acct))
    finally:
        cluster.stop()


def batch_files(movers: list[dict[str, Any]], folder: Path, *,
                overrides: Mapping[str, Mapping[str, str]] | None = None) -> tuple[Path, Path]:
    """accounts.csv and a secrets file (0600) for `mastomove batch` over a local cluster's movers
    (`Instance.add_movers`); `overrides` replaces secrets by handle (a wrong password, ...)."""
    import csv
    import io
    import json

    from mastomove.agent.evidence import private_dir, write_private

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

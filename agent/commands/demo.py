"""`mastomove demo`: local imitation Mastodon servers (the `demo` extra), and a whole migration
between two of their seeded accounts."""
from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from mastomove.agent.commands.options import Headed, SlowMo

INSTALL_HINT = "pip install 'mastomove[demo]' (from a checkout: pip install -e '.[demo]', or make setup)"


def demo(
    headed: Headed = False, slow_mo: SlowMo = None,
    version: Annotated[str, typer.Option(help="Mastodon version the local servers imitate (4.1 to 4.7).")] = "4.7",
    old_version: Annotated[Optional[str], typer.Option(help="Version of the old server only (default: --version).")] = None,
    new_version: Annotated[Optional[str], typer.Option(help="Version of the new server only (default: --version).")] = None,
    locale: Annotated[str, typer.Option(help="UI language of the local servers (en, de, fr).")] = "en",
    follows: Annotated[int, typer.Option(help="How many accounts the old account follows.")] = 300,
    serve_only: Annotated[bool, typer.Option("--serve-only", help="Only start the servers and print how to sign in.")] = False,
    keep_serving: Annotated[bool, typer.Option(
        "--keep-serving",
        help="After the migration, keep the servers running (until Ctrl-C) and print how to run `mastomove watch` "
             "against them.")] = False,
) -> None:
    """Start local imitation Mastodon servers and migrate a seeded account between them.

    Some of the old account's followers live on servers that will not follow it (one whose software
    ignores Move, one down, one gone): the run folder says who came along and why. Headless unless
    --headed; prints where the screenshots are. Needs the demo extra: pip install 'mastomove[demo]'."""
    raise typer.Exit(run_demo(headed=headed, slow_mo=slow_mo, version=version, locale=locale, follows=follows,
                              serve_only=serve_only, old_version=old_version, new_version=new_version,
                              keep_serving=keep_serving))


# The demo's old account has followers on servers that will not follow it to the new one.
DEMO_FOLLOWERS = {"followers_ignore": 3, "followers_down": 2, "followers_gone": 2}


def watch_command(cluster: Any, run_dir: Any) -> str:
    """The `mastomove watch` command line for the demo's servers and run folder (its throwaway local
    accounts' settings, the new one's password included: watch signs in to read its followers)."""
    import shlex
    import sys
    from pathlib import Path

    old, new = cluster.credentials["old"], cluster.credentials["new"]
    exe = Path(sys.executable).parent / "mastomove"
    try:
        shown = str(exe.relative_to(Path.cwd()))
    except ValueError:
        shown = str(exe)
    settings = {"MASTOMOVE_OLD_HANDLE": old.acct, "MASTOMOVE_OLD_URL": cluster.old.url,
                "MASTOMOVE_NEW_HANDLE": new.acct, "MASTOMOVE_NEW_URL": cluster.new.url,
                "MASTOMOVE_NEW_EMAIL": new.email, "MASTOMOVE_NEW_PASSWORD": new.password,
                "MASTOMOVE_RUN_DIR": str(run_dir)}
    return (" ".join(f"{name}={shlex.quote(value)}" for name, value in settings.items())
            + f" {shlex.quote(shown if exe.exists() else 'mastomove')} watch --settle-minutes 1")


def run_demo(*, headed: bool, slow_mo: float | None, version: str, locale: str, follows: int,
             serve_only: bool, old_version: str | None = None, new_version: str | None = None,
             keep_serving: bool = False) -> int:
    import sys
    import time
    from datetime import datetime

    from pydantic import SecretStr

    from mastomove.agent.commands.migrate import run_migration
    from mastomove.agent.confirmation import Confirmation
    from mastomove.agent.errors import ExitCode
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.run import RUNS
    from mastomove.agent.settings import Settings

    person = ConsolePerson()
    try:
        from mastomove.fixtures.cluster import Cluster
    except ImportError as error:
        person.say(f"The demo's local servers need {error.name}, which is not installed: {INSTALL_HINT}", "red")
        return int(ExitCode.BAD_INPUT)
    # Files on a storage origin of their own, as most real servers have them: the archive is
    # downloaded by redirect to a signed link, avatars and headers come from the media host.
    config: dict[str, Any] = {"version": version, "locale": locale, "storage": "s3"}
    for role, chosen in (("old", old_version), ("new", new_version)):
        if chosen:
            config[role] = {"version": chosen}
    shown = version if not (old_version or new_version) else f"{old_version or version} -> {new_version or version}"
    person.say(f"Starting local Mastodon {shown} servers ({locale})…")
    # Deliveries to the dead servers are given up within seconds (Mastodon retries for days).
    config["delivery_retry_delays"] = [1.0, 2.0]
    cluster = Cluster.start(port=0, config=config, seed={"follows": follows, **DEMO_FOLLOWERS})
    try:
        old, new = cluster.credentials["old"], cluster.credentials["new"]
        person.say(f"  old: {cluster.old.url}  ({old.acct})")
        person.say(f"  new: {cluster.new.url}  ({new.acct})")
        person.say(f"  remote: {cluster.remote.url}  ignore: {cluster.ignore.url} (its software ignores Move)  "
                   f"down: {cluster.dead_urls['down']} (refuses connections)  gone: {cluster.dead_urls['gone']} (410)")
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
            run_dir=RUNS / f"demo-{datetime.now():%Y%m%d-%H%M%S}",
            headed=headed, slow_mo=slow_mo, alias_wait_seconds=600, follower_watch_seconds=20,
        )
        # Two throwaway local accounts: the pause is answered in advance, and the output says so.
        confirmation = Confirmation(new.acct, "mastomove demo (throwaway local accounts)")
        code = run_migration(settings, confirmation=confirmation, person=person)
        if keep_serving:
            # Printed as is (not through the run's redaction): the demo's accounts are throwaway local ones.
            print("\nThe local servers keep running, so that you can try `mastomove watch` against them. In another "
                  "terminal, from here:\n\n  " + watch_command(cluster, settings.run_dir)
                  + "\n\nThen open the report again (mastomove report " + str(settings.run_dir) + " --open). "
                  "Ctrl-C here stops the servers.", flush=True)
            try:
                while True:
                    time.sleep(3600)  # allow-sleep: the servers run in their own thread
            except KeyboardInterrupt:
                pass
        return code
    finally:
        cluster.stop()

"""The floor: the same migration as a bare, straight-line Playwright script.

It makes the navigations, fills and clicks a migration cannot do without, in the agent's order,
with the same browser, flags and one context per account, and nothing else: no screenshots, no
log, no state file, no retries, no checks (no "already done?" reads, no preflight, no follow-request
diff, no verification beyond seeing the redirect). What it must read to act, it reads (the old
profile's fields, the import id, an import's row until it has finished).

    python -m bench.floor PARAMS.json OUT.json

PARAMS: {"old": {url, email, password, otp_secret, handle}, "new": {...}, "work_dir": ...,
         "launch": {...browser launch kwargs}, "context": {...context kwargs}, "announcement": ...}
OUT: per-step seconds, and the time spent waiting on the server's background jobs.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

T0 = time.monotonic()

import pyotp  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.probe import install_call_counter  # noqa: E402

EXPORTS = ("follows", "lists", "blocks", "mutes", "domain_blocks", "bookmarks")
IMPORT_TYPES = {"follows": "following", "lists": "lists", "blocks": "blocking", "mutes": "muting",
                "domain_blocks": "domain_blocking", "bookmarks": "bookmarks"}
POLL_S = 0.1  # a tight poll: the floor should see a finished job as soon as it can


def form_profile(po, pn, old: dict, new: dict) -> None:
    """Up to Mastodon 4.5: the old profile form read, the new one filled and saved."""
    values = po.eval_on_selector_all(
        "input[name^='account['], textarea[name^='account[']",
        "els => els.filter(e => e.type !== 'file' && e.type !== 'checkbox' && e.type !== 'hidden')"
        ".map(e => [e.name, e.value])")
    username = old["handle"].split("@")[0]
    entity = po.context.request.get(f"{old['url']}/api/v1/accounts/lookup?acct={username}").json()
    files = {}
    for name in ("avatar", "header"):
        url = entity.get(name) or ""
        if url and not url.endswith("/missing.png"):
            body = po.context.request.get(url).body()
            files[name] = {"name": f"{name}.png", "mimeType": "image/png", "buffer": body}
    pn.goto(new["url"] + "/settings/profile", wait_until="domcontentloaded")
    for name, value in values:
        pn.fill(f"[name='{name}']", value)
    for name, payload in files.items():
        pn.set_input_files(f"input[type='file'][name='account[{name}]']", payload)
    with pn.expect_navigation(wait_until="domcontentloaded"):
        pn.click("form:has([name='account[display_name]']) button[type='submit']")


def _open_editor(page, account: dict) -> dict:
    """/profile/edit, and the profile the web app loads (GET /api/v1/profile)."""
    with page.expect_response(lambda r: r.request.method == "GET" and r.url.endswith("/api/v1/profile")) as answer:
        page.goto(account["url"] + "/profile/edit", wait_until="domcontentloaded")
    return answer.value.json()


# The web app's request for a save (features/account_edit: one PATCH /api/v1/profile with its
# session's token); the floor sends everything in one, where the editor sends one per dialog.
_PATCH = """async ([fields, images]) => {
  const state = JSON.parse(document.getElementById('initial-state').textContent);
  const body = new FormData();
  for (const [key, value] of fields) body.append(key, value);
  for (const [name, bytes, description] of images) {
    body.append(name, new Blob([new Uint8Array(bytes)], {type: 'image/png'}), name + '.png');
    if (description) body.append(name + '_description', description);
  }
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const headers = {Authorization: 'Bearer ' + state.meta.access_token, Accept: 'application/json'};
  if (csrf) headers['X-CSRF-Token'] = csrf.getAttribute('content');
  const response = await fetch('/api/v1/profile', {method: 'PATCH', headers, body, credentials: 'same-origin'});
  return response.status;
}"""


def editor_profile(po, pn, old: dict, new: dict) -> None:
    """Mastodon 4.6+: the profile the old editor loads, saved through the new editor's API."""
    profile = _open_editor(po, old)
    images = []
    for name in ("avatar", "header"):
        if profile.get(name):
            body = po.context.request.get(profile[name]).body()
            images.append([name, list(body), profile.get(f"{name}_description") or ""])
    fields = [["display_name", profile.get("display_name") or ""], ["note", profile.get("note") or ""]]
    for index, row in enumerate(profile.get("fields") or []):
        fields += [[f"fields_attributes[{index}][name]", row.get("name") or ""],
                   [f"fields_attributes[{index}][value]", row.get("value") or ""]]
    _open_editor(pn, new)
    status = pn.evaluate(_PATCH, [fields, images])
    if status != 200:
        raise RuntimeError(f"PATCH /api/v1/profile answered {status}")


def main() -> None:
    params = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    old, new = params["old"], params["new"]
    work = Path(params["work_dir"])
    work.mkdir(parents=True, exist_ok=True)
    steps: dict[str, float] = {}
    waits: dict[str, float] = {"imports": 0.0, "followers": 0.0}
    mark = [time.monotonic()]
    current = ["sign_in"]  # the browser is launched inside the agent's sign_in step too
    calls: dict = {}
    install_call_counter(calls, lambda: current[0])
    slept: dict[str, float] = {}  # seconds in time.sleep by step (polls: not browser calls)

    def sleep(seconds: float) -> None:
        slept[current[0]] = slept.get(current[0], 0.0) + seconds
        time.sleep(seconds)

    def done(step: str, following: str | None = None) -> None:
        now = time.monotonic()
        steps[step] = steps.get(step, 0.0) + now - mark[0]
        mark[0] = now
        current[0] = following or "-"

    steps["startup"] = mark[0] - T0
    pw = sync_playwright().start()
    browser = pw.chromium.launch(**params["launch"])
    pages = {}
    for role in ("old", "new"):
        context = browser.new_context(**params["context"])
        pages[role] = context.new_page()
    po, pn = pages["old"], pages["new"]
    done("launch", "sign_in")

    # --- sign_in ----------------------------------------------------------------------------
    for role, page, account in (("old", po, old), ("new", pn, new)):
        page.goto(account["url"] + "/auth/sign_in", wait_until="domcontentloaded")
        page.fill("input[name='user[email]']", account["email"])
        page.fill("input[name='user[password]']", account["password"])
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.click("form:has(input[name='user[password]']) button[type='submit']")
        if account.get("otp_secret"):
            page.fill("input[name='user[otp_attempt]']", pyotp.TOTP(account["otp_secret"]).now())
            with page.expect_navigation(wait_until="domcontentloaded"):
                page.click("form:has(input[name='user[otp_attempt]']) button[type='submit']")
    done("sign_in", "profile")

    # --- profile ----------------------------------------------------------------------------
    po.goto(old["url"] + "/settings/profile", wait_until="domcontentloaded")
    if po.locator("[name='account[display_name]']").count():
        form_profile(po, pn, old, new)
    else:  # Mastodon 4.6+: /settings/profile links to the web app's profile editor
        editor_profile(po, pn, old, new)
    done("profile", "announce")

    # --- announce ---------------------------------------------------------------------------
    from urllib.parse import urlencode

    pn.goto(new["url"] + "/share?" + urlencode({"text": params["announcement"]}), wait_until="domcontentloaded")
    pn.wait_for_selector("form.compose-form textarea.autosuggest-textarea__textarea")
    with pn.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/api/v1/statuses")):
        pn.click("form.compose-form button[type='submit']")
    done("announce", "export")

    # --- export -----------------------------------------------------------------------------
    po.goto(old["url"] + "/settings/export", wait_until="domcontentloaded")
    exported: dict[str, Path] = {}
    for name in EXPORTS:
        link = po.locator(f"a[href$='/settings/exports/{name}.csv']")
        if link.count() == 0:
            continue
        with po.expect_download() as info:
            link.first.click()
        target = work / f"{name}.csv"
        info.value.save_as(target)
        exported[name] = target
    done("export", "imports")

    # --- imports ----------------------------------------------------------------------------
    for name in EXPORTS:
        file = exported.get(name)
        if file is None or not file.read_bytes().strip():
            continue  # an empty list is not imported (the agent skips it too)
        pn.goto(new["url"] + "/settings/imports", wait_until="domcontentloaded")
        pn.select_option("select[name='form_import[type]']", value=IMPORT_TYPES[name])
        pn.check("input[type='radio'][name='form_import[mode]'][value='merge']")
        pn.set_input_files("[name='form_import[data]']", str(file))
        with pn.expect_navigation(wait_until="domcontentloaded"):
            pn.click("form:has([name='form_import[data]']) button[type='submit']")
        import_id = pn.url.rstrip("/").rsplit("/", 1)[-1]
        pn.wait_for_load_state("load")  # the data-method link needs the page's script
        with pn.expect_navigation(wait_until="domcontentloaded"):
            pn.click(f"a[data-method='post'][href$='/settings/imports/{import_id}/confirm']")
        confirmed = time.monotonic()
        while True:  # the person watches "Recent imports" until the row has finished
            pn.goto(new["url"] + "/settings/imports", wait_until="domcontentloaded")
            row = pn.locator(f"tr#bulk_import_{import_id}")
            cells = row.locator("td").all_inner_texts()
            imported, _, total = (cells[2] if len(cells) > 2 else "").partition("/")
            if row.locator("a[href$='/failures.csv']").count() or (
                    total.strip() and imported.strip() == total.strip()):
                break
            sleep(POLL_S)
        waits["imports"] += time.monotonic() - confirmed
    done("imports", "alias")

    # --- alias ------------------------------------------------------------------------------
    pn.goto(new["url"] + "/settings/aliases", wait_until="domcontentloaded")
    pn.fill("input[name='account_alias[acct]']", old["handle"])
    with pn.expect_navigation(wait_until="domcontentloaded"):
        pn.click("form:has(input[name='account_alias[acct]']) button[type='submit']")
    done("alias", "preflight")
    done("preflight", "move")  # nothing: the preflight step is checks only

    # --- move -------------------------------------------------------------------------------
    po.goto(old["url"] + "/settings/migration", wait_until="domcontentloaded")
    po.fill("input[name='account_migration[acct]']", new["handle"])
    po.fill("input[name='account_migration[current_password]']", old["password"])
    with po.expect_navigation(wait_until="domcontentloaded"):
        po.click("form:has(input[name='account_migration[acct]']) button[type='submit']")
    moved = po.locator("a[data-method='delete'][href$='/settings/migration/redirect']").count() > 0
    done("move", "verify")

    # --- verify: the redirect is shown; the followers arrive (waited on, not checked) ------------
    po.goto(old["url"] + "/settings/migration", wait_until="domcontentloaded")
    expected = params.get("followers_expected")
    started = time.monotonic()
    seen = None
    username_new = new["handle"].split("@")[0]
    while expected is not None:
        seen = pn.context.request.get(f"{new['url']}/api/v1/accounts/lookup?acct={username_new}").json().get(
            "followers_count")
        if seen is not None and seen >= expected or time.monotonic() - started > params.get("follower_watch_s", 20):
            break
        sleep(POLL_S * 5)
    waits["followers"] += time.monotonic() - started
    done("verify", "shutdown")

    browser.close()
    pw.stop()
    done("shutdown")
    out.write_text(json.dumps({"steps": steps, "waits": waits, "moved": moved, "followers_seen": seen,
                               "total_s": time.monotonic() - T0, "calls": calls.get("calls", {}),
                               "step_marks": calls.get("step_marks", []), "slept": slept}, indent=1))


if __name__ == "__main__":
    main()

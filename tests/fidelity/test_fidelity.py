"""Fidelity: the imitation's pages hold every fact of tests/fidelity/facts.py.

One browser session per Mastodon version x UI language drives the cluster the way a person
does (sign in with TOTP, export, import, aliases, move, redirect, profile, compose, sign out)
and, at each page state, checks all facts of the table that belong to it. HTTP facts (status
codes, headers, CSV bodies) are checked with plain requests: without a session where the fact
is about signed-out behaviour, with the browser's cookies otherwise.

All mismatches of a run are collected and reported together (row, expected, found, source), in
the assertion message and in $TMPDIR/mastomove-fidelity/<version>-<lang>.json (FIDELITY_REPORT_DIR). Mismatches on rows
whose expectation is only best evidence (`inferred` in the table) are reported as warnings.
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from string import Template
from typing import Any, Iterator
from urllib.parse import urlparse

import httpx
import pyotp
import pytest

from facts import FACTS, LANGS, PAGES, VERSIONS, ByVersion, Fact, facts_for

pytestmark = pytest.mark.slow

# Not under test-results/: pytest-playwright empties that folder at the start of every session.
REPORT_DIR = Path(os.environ.get("FIDELITY_REPORT_DIR") or Path(tempfile.gettempdir()) / "mastomove-fidelity")
PLURAL_ONE = {"en": {1}, "de": {1}, "fr": {0, 1}}
KINDS = {"exists", "absent", "attr", "value", "text", "anytext", "texts", "textset", "values", "disabled", "title", "path",
         "cookie", "status", "location", "header", "csv", "body", "follows_count"}
HTTP_KINDS = {"status", "location", "header", "csv", "body"}


# ------------------------------------------------------------------------------------------
# The table itself: each test checks every row and names all rows that fail
# ------------------------------------------------------------------------------------------
def _row_problems(fact: Fact) -> list[str]:
    problems = []
    if fact.kind not in KINDS:
        problems.append(f"unknown kind {fact.kind!r}")
    if not fact.versions or not set(fact.versions) <= set(VERSIONS):
        problems.append(f"versions {fact.versions!r} not among {VERSIONS}")
    if not fact.langs or not set(fact.langs) <= set(LANGS):
        problems.append(f"languages {fact.langs!r} not among {LANGS}")
    if not fact.source:
        problems.append("no source (every fact names where it comes from)")
    if fact.kind in HTTP_KINDS and not re.fullmatch(r"(GET|POST|DELETE) /\S*( \[fault \w+\])?", fact.selector):
        problems.append(f"HTTP selector {fact.selector!r} is not 'METHOD /path [fault kind]'")
    if any("en" not in value for value in _texts_in(fact.expected)):
        problems.append("a text without its English version")
    if fact.versions and not set(fact.versions) & {"4.1", "4.2", "4.3"} and not re.search(r"@(v4\.\d+\.\d+|main)", fact.source):
        problems.append("a fact of 4.4+ only must name the release it was read from (path @tag)")
    return problems


def test_fact_table_is_well_formed() -> None:
    """Every row: a known kind, known versions and languages, a source, English text, HTTP selectors."""
    bad = {f.id: problems for f in FACTS if (problems := _row_problems(f))}
    assert not bad, "\n".join(f"- {fact_id}: {'; '.join(problems)}" for fact_id, problems in bad.items())


def test_fact_ids_are_unique() -> None:
    ids = [f.id for f in FACTS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_has_facts_on_every_page_it_has(version: str) -> None:
    """Each release is described in every language, on the pages the agent walks through."""
    missing = [f"{version}/{lang}" for lang in LANGS if not [f for f in FACTS if f.applies(version, lang)]]
    assert not missing, f"no facts for {missing}"
    pages = {f.page for f in FACTS if f.applies(version, "en")}
    for core in ("sign_in", "settings_layout", "export", "migration", "aliases", "profile"):
        assert core in pages, f"{version}: no facts for the {core} page"


def _texts_in(expected: Any) -> list[dict]:
    if isinstance(expected, ByVersion):
        return list(expected.values())
    if isinstance(expected, dict) and "en" in expected:
        return [expected]
    if isinstance(expected, list):
        return [t for e in expected for t in _texts_in(e)]
    return []


# ------------------------------------------------------------------------------------------
# Expected values
# ------------------------------------------------------------------------------------------
_WS = re.compile(r"[\s\u00a0\u202f\u2007]+")
_TAG = re.compile(r"<[^>]+>")
_RAILS = re.compile(r"%\{(\w+)\}")
_ICU = re.compile(r"\{(\w+)\}")


def norm(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def pick(expected: Any, lang: str, ctx: dict) -> Any:
    """The release's and language's value of a T(...) dict (English fallback), plural form chosen by count."""
    value = expected
    if isinstance(value, ByVersion):
        value = value.at(ctx["_version"])
    if isinstance(value, dict) and "en" in value:
        value = value.get(lang, value["en"])
    if isinstance(value, dict) and "other" in value:
        count = ctx.get("count")
        value = value["one"] if count in PLURAL_ONE.get(lang, {1}) and "one" in value else value["other"]
    return value


def render(expected: Any, lang: str, ctx: dict, match: str) -> Any:
    value = pick(expected, lang, ctx)
    if not isinstance(value, str):
        return value
    if match == "regex":
        return Template(value).safe_substitute({k: re.escape(str(v)) for k, v in ctx.items()})
    value = html.unescape(_TAG.sub("", value))
    if match == "template":  # placeholders the test cannot know (a display name) match anything
        return r"\s*.+?\s*".join(re.escape(norm(part)) for part in re.split(r"%\{\w+\}|\{\w+\}", value))
    value = _RAILS.sub(lambda m: str(ctx.get(m.group(1), m.group(0))), value)
    value = _ICU.sub(lambda m: str(ctx.get(m.group(1), m.group(0))), value)
    return norm(Template(value).safe_substitute({k: str(v) for k, v in ctx.items()}))


def compare(found: str, expected: str, match: str) -> bool:
    found = norm(found)
    if match == "contains":
        return expected in found
    if match == "startswith":
        return found.startswith(expected)
    if match in ("regex", "template"):
        return re.fullmatch(expected, found, re.S) is not None
    return found == expected


# ------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------
@dataclass
class Result:
    fact: str
    page: str
    version: str
    lang: str
    strict: bool
    ok: bool
    expected: Any
    found: Any
    source: str


class Recorder:
    def __init__(self, version: str, lang: str) -> None:
        self.version, self.lang = version, lang
        self.results: list[Result] = []
        self.checked_pages: set[str] = set()
        self.timings: dict[str, float] = {}

    def add(self, fact: Fact, ok: bool, expected: Any, found: Any) -> None:
        if isinstance(found, str) and len(found) > 400:
            found = found[:400] + "…"
        self.results.append(Result(fact.id, fact.page, self.version, self.lang, fact.strict(self.version, self.lang),
                                   ok, expected, found, fact.source))

    def blocked(self, page: str, error: BaseException) -> None:
        """A page state could not be reached: every fact of it counts as a mismatch."""
        message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        for fact in facts_for(page, self.version, self.lang):
            if fact.id not in {r.fact for r in self.results}:
                self.add(fact, False, "(page state reached)", f"not reached: {message}")
        if not facts_for(page, self.version, self.lang):
            self.results.append(Result(f"{page}.(flow)", page, self.version, self.lang, True, False,
                                       "(page state reached)", f"not reached: {message}", "flow"))

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.ok and r.strict]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if not r.ok and not r.strict]

    def write(self) -> Path:
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        path = REPORT_DIR / f"{self.version}-{self.lang}.json"
        path.write_text(json.dumps({
            "version": self.version, "lang": self.lang, "checked": len(self.results), "seconds": self.timings,
            "failures": [asdict(r) for r in self.failures], "warnings": [asdict(r) for r in self.warnings],
            "passed": sorted(r.fact for r in self.results if r.ok),
        }, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        return path


def describe(results: list[Result]) -> str:
    lines = []
    for r in results:
        lines.append(f"- [{r.page}] {r.fact}\n    expected: {r.expected!r}\n    found:    {r.found!r}\n"
                     f"    source:   {r.source}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# Checking one page state in the browser, or one group of HTTP facts
# ------------------------------------------------------------------------------------------
class Checker:
    def __init__(self, page, rec: Recorder) -> None:
        self.page, self.rec = page, rec

    def page_state(self, name: str, ctx: dict | None = None) -> None:
        ctx = {**(ctx or {}), "_version": self.rec.version}
        self.rec.checked_pages.add(name)
        for fact in facts_for(name, self.rec.version, self.rec.lang):
            if fact.kind in HTTP_KINDS:
                continue
            try:
                self._check(fact, ctx)
            except Exception as error:  # a broken check is a mismatch, not a crash
                self.rec.add(fact, False, "(check ran)", f"{type(error).__name__}: {error}")

    def _check(self, fact: Fact, ctx: dict) -> None:
        page, lang = self.page, self.rec.lang
        selector = Template(fact.selector).safe_substitute({k: str(v) for k, v in ctx.items()})
        kind = fact.kind
        if kind == "title":
            expected = render(fact.expected, lang, ctx, "exact")
            found = norm(page.title())
            self.rec.add(fact, found == expected or found.startswith(expected + " - "), f"{expected} [- site]", found)
            return
        if kind == "path":
            found = urlparse(page.url).path
            self.rec.add(fact, re.fullmatch(fact.expected, found) is not None, fact.expected, found)
            return
        if kind == "cookie":
            names = sorted({c["name"] for c in page.context.cookies()})
            self.rec.add(fact, selector in names, selector, names)
            return
        if kind == "follows_count":
            self._follows_count(fact)
            return
        loc = page.locator(selector)
        count = loc.count()
        if kind == "exists":
            if isinstance(fact.expected, int) and not isinstance(fact.expected, bool):
                self.rec.add(fact, count == fact.expected, f"{fact.expected} × {selector}", f"{count} found")
            else:
                self.rec.add(fact, count > 0, selector, f"{count} found")
            return
        if kind == "absent":
            self.rec.add(fact, count == 0, f"no {selector}", f"{count} found")
            return
        if count == 0:
            self.rec.add(fact, False, self._shown(fact, ctx), f"no element matches {selector}")
            return
        first = loc.first
        if kind == "attr":
            value = first.get_attribute(fact.attr)
            if fact.expected is None:
                self.rec.add(fact, value is None, f"no {fact.attr} attribute", value)
            elif fact.expected is True:
                self.rec.add(fact, value is not None, f"{fact.attr} attribute present", value)
            else:
                expected = render(fact.expected, lang, ctx, fact.match)
                self.rec.add(fact, value is not None and compare(value, expected, fact.match), expected, value)
            return
        if kind == "value":
            value = first.input_value()
            expected = render(fact.expected, lang, ctx, fact.match)
            self.rec.add(fact, compare(value, expected, fact.match), expected, value)
            return
        if kind == "disabled":
            found = first.is_disabled()
            self.rec.add(fact, found == fact.expected, "disabled" if fact.expected else "enabled",
                         "disabled" if found else "enabled")
            return
        if kind in ("text", "anytext"):
            expected = render(fact.expected, lang, ctx, fact.match)
            texts = [first.inner_text()] if kind == "text" else loc.all_inner_texts()
            ok = any(compare(t, expected, fact.match) for t in texts)
            self.rec.add(fact, ok, expected, norm(texts[0]) if len(texts) == 1 else [norm(t) for t in texts])
            return
        if kind in ("texts", "textset"):
            expected = [render(e, lang, ctx, "exact") for e in fact.expected]
            found = [norm(t) for t in loc.all_inner_texts()]
            ok = found == expected if kind == "texts" else sorted(found) == sorted(expected)
            self.rec.add(fact, ok, expected, found)
            return
        if kind == "values":
            attr = fact.attr or "value"
            found = loc.evaluate_all(f"els => els.map(e => e.getAttribute({json.dumps(attr)}) ?? e[{json.dumps(attr)}])")
            expected = [render(e, lang, ctx, "exact") for e in fact.expected]
            self.rec.add(fact, [norm(str(v)) for v in found] == expected, expected, found)
            return
        raise AssertionError(f"unknown kind {kind}")

    def _shown(self, fact: Fact, ctx: dict) -> Any:
        if fact.expected is None or isinstance(fact.expected, (bool, int)):
            return fact.selector
        try:
            return render(fact.expected, self.rec.lang, ctx, fact.match)
        except Exception:
            return fact.expected

    def _follows_count(self, fact: Fact) -> None:
        row = self.page.locator(".table-wrapper table.table tbody tr").nth(2)
        cell = norm(row.locator("td").first.inner_text()) if row.count() else ""
        found = int(re.sub(r"\D", "", cell) or -1)
        body = self.page.request.get(self.page.url.split("/settings/")[0] + "/settings/exports/follows.csv").text()
        lines = [line for line in body.splitlines() if line.strip()]
        expected = max(len(lines) - 1, 0)
        self.rec.add(fact, found == expected, f"{expected} (data rows of follows.csv)", cell)


class Http:
    """Plain HTTP facts. `get` performs one request (optionally with a fault armed first)."""

    def __init__(self, rec: Recorder, base_url: str, request, instance=None) -> None:
        self.rec, self.base_url, self.request, self.instance = rec, base_url.rstrip("/"), request, instance

    def check(self, name: str, ctx: dict | None = None) -> None:
        ctx = {**(ctx or {}), "_version": self.rec.version}
        self.rec.checked_pages.add(name)
        responses: dict[str, Any] = {}
        for fact in facts_for(name, self.rec.version, self.rec.lang):
            if fact.kind not in HTTP_KINDS:
                continue
            key = Template(fact.selector).safe_substitute({k: str(v) for k, v in ctx.items()})
            try:
                if key not in responses:
                    responses[key] = self._perform(key)
                self._check(fact, responses[key], ctx)
            except Exception as error:
                self.rec.add(fact, False, "(request made)", f"{type(error).__name__}: {error}")

    def _perform(self, key: str) -> dict:
        m = re.fullmatch(r"(\w+) (\S+)(?: \[fault (\w+)\])?", key)
        method, path, fault = m.group(1), m.group(2), m.group(3)
        if fault:
            arm_fault(self.instance, path, fault)
        try:
            return self.request(method, self.base_url + path)
        finally:
            if fault:
                with contextlib.suppress(Exception):
                    self.instance.clear_faults()

    def _check(self, fact: Fact, resp: dict, ctx: dict) -> None:
        lang = self.rec.lang
        if fact.kind == "status":
            self.rec.add(fact, resp["status"] == fact.expected, fact.expected, resp["status"])
        elif fact.kind == "location":
            location = resp["headers"].get("location", "")
            path = urlparse(location).path if location else ""
            self.rec.add(fact, re.fullmatch(fact.expected, path) is not None, fact.expected,
                         f"{resp['status']} Location: {location or '(none)'}")
        elif fact.kind == "header":
            value = resp["headers"].get(fact.attr.lower())
            expected = render(fact.expected, lang, ctx, "regex")
            ok = value is not None and re.search(expected, value) is not None if fact.match != "regex" else (
                value is not None and re.fullmatch(expected, value, re.S) is not None)
            self.rec.add(fact, ok, f"{fact.attr}: {expected}", value)
        elif fact.kind == "body":
            expected = render(fact.expected, lang, ctx, "exact")
            text = norm(html.unescape(_TAG.sub(" ", resp["text"])))
            self.rec.add(fact, expected in text, expected, text[:300])
        elif fact.kind == "csv":
            self._csv(fact, resp)

    def _csv(self, fact: Fact, resp: dict) -> None:
        spec = fact.expected
        lines = [line for line in resp["text"].splitlines() if line.strip()]
        problems = []
        if resp["status"] != 200:
            problems.append(f"status {resp['status']}")
        if spec["header"] is not None:
            if not lines or lines[0] != spec["header"]:
                problems.append(f"header row {lines[0] if lines else '(empty file)'!r}")
            data = lines[1:]
        else:
            if lines and lines[0].startswith(("Account address", "#domain", "#uri", "List name")):
                problems.append(f"unexpected header row {lines[0]!r}")
            data = lines
        if not data:
            problems.append("no data rows (the seed should have some)")
        bad = [line for line in data if not re.fullmatch(spec["row"], line)]
        if bad:
            problems.append(f"{len(bad)} rows not like {spec['row']}: {bad[:3]}")
        leading_at = [line for line in data if line.startswith("@") or ",@" in line]
        if leading_at:
            problems.append(f"accounts with a leading @: {leading_at[:3]}")
        expected = f"header {spec['header']!r}; rows /{spec['row']}/"
        self.rec.add(fact, not problems, expected, "; ".join(problems) or f"{len(data)} rows ok")


def arm_fault(instance, path: str, kind: str) -> None:
    """Arm one fault on `path` through the control endpoint (fixtures.cluster.Instance.fault)."""
    if kind.isdigit():
        instance.fault(path, "status", 1, status=int(kind))
    elif kind == "rate_limit":
        instance.fault(path, "rate_limit", 1, retry_after=30)
    else:
        instance.fault(path, kind, 1)


_PLAIN = httpx.Client(follow_redirects=False, timeout=15, trust_env=False)


def plain_request(method: str, url: str) -> dict:
    """A request without any session (a fresh cookie jar each time)."""
    _PLAIN.cookies.clear()
    resp = _PLAIN.request(method, url)
    headers = {k.lower(): v for k, v in resp.headers.items()}
    headers["set-cookie"] = "; ".join(resp.headers.get_list("set-cookie"))
    return {"status": resp.status_code, "headers": headers, "text": resp.text}


def browser_request(page):
    def request(method: str, url: str) -> dict:
        try:
            resp = page.request.fetch(url, method=method, max_redirects=0)
        except Exception as error:  # an idle keep-alive connection closed under the request: once more
            if method != "GET" or "ECONNRESET" not in str(error):
                raise
            resp = page.request.fetch(url, method=method, max_redirects=0)
        headers = {k.lower(): v for k, v in resp.headers.items()}
        return {"status": resp.status, "headers": headers, "text": resp.text()}
    return request


# ------------------------------------------------------------------------------------------
# The cluster, as docs/ARCHITECTURE.md and fixtures/pytest_plugin.py describe it
# ------------------------------------------------------------------------------------------
@dataclass
class Login:
    """A seeded sign-in: fixtures.cluster.Credential (cluster.credentials["old"|"new"])."""

    username: str
    domain: str
    email: str
    password: str
    otp_secret: str | None

    @property
    def acct(self) -> str:
        return f"{self.username}@{self.domain}"


def login_for(cluster, instance) -> Login:
    cred = cluster.credentials[instance.name]
    return Login(cred.username, cred.domain, cred.email, cred.password, cred.otp_secret)


# ------------------------------------------------------------------------------------------
# The walk through the pages
# ------------------------------------------------------------------------------------------
FOLLOWS_CSV = "Account address,Show boosts,Notify on new posts,Languages\n{a},true,false,\n{b},false,true,\"fr, de\"\n"


class Walk:
    def __init__(self, page, cluster, version: str, lang: str) -> None:
        self.page, self.cluster, self.version, self.lang = page, cluster, version, lang
        self.rec = Recorder(version, lang)
        self.check = Checker(page, self.rec)
        self.old, self.new = cluster.old, cluster.new
        self.old_login = login_for(cluster, self.old)
        self.new_login = login_for(cluster, self.new)
        self.remote_accts = self._remote_accts()

    def _remote_accts(self) -> list[str]:
        """Two accounts of remote.test, to import follows of."""
        accounts = self.cluster.remote.state().get("accounts") or []
        accts = [a["acct"] for a in accounts if a.get("acct") and not a.get("locked")]
        if len(accts) < 2:
            raise AssertionError(f"remote.test seeds fewer than two accounts: {accts}")
        return accts[:2]

    @contextlib.contextmanager
    def state(self, *names: str) -> Iterator[None]:
        """Reach a page state; if that fails, its facts (and the named later ones) count as not reached."""
        started = time.monotonic()
        try:
            yield
        except Exception as error:
            for name in names:
                self.rec.blocked(name, error)
        finally:
            self.rec.timings[names[0]] = round(time.monotonic() - started, 2)

    # navigation helpers -------------------------------------------------------------------
    def goto(self, instance, path: str) -> None:
        self.page.goto(instance.url.rstrip("/") + path, wait_until="load")

    def submit(self, form: str) -> None:
        with self.page.expect_navigation(wait_until="load"):
            self.page.locator(f'{form} button[type="submit"]').first.click()

    def follow(self, selector: str) -> None:
        with self.page.expect_navigation(wait_until="load"):
            self.page.locator(selector).first.click()

    def http(self, instance, signed_in: bool = True) -> Http:
        request = browser_request(self.page) if signed_in else plain_request
        return Http(self.rec, instance.url, request, instance)

    # the walk -----------------------------------------------------------------------------
    def run(self) -> Recorder:
        with self.state("signed_out", "sign_in"):
            self.configure()
        with self.state("signed_out"):
            self.http(self.old, signed_in=False).check("signed_out")
        self.sign_in_old()
        self.compose()
        self.settings_and_export()
        self.profile()
        self.imports()
        self.migration_errors()
        self.sign_in_new_and_aliases()
        self.move()
        self.redirect()
        self.cooldown_over()
        self.errors()
        self.sign_out()
        return self.rec

    def configure(self) -> None:
        """The cluster was reset with version and locale (the seed gives the users that UI language);
        make sure every instance reports them."""
        for instance in (self.cluster.old, self.cluster.new, self.cluster.remote):
            config = instance.config()
            if config.get("version") != self.version or config.get("locale") != self.lang:
                raise AssertionError(f"{instance.name} runs {config.get('version')}/{config.get('locale')}")

    def sign_in_old(self) -> None:
        login = self.old_login
        with self.state("sign_in", "sign_in_failed", "two_factor", "two_factor_failed", "signed_in"):
            self.goto(self.old, "/auth/sign_in")
            self.check.page_state("sign_in", {"domain": self.old.domain})
            self.page.fill("#user_email", login.email)
            self.page.fill("#user_password", login.password + "-wrong")
            self.submit("form#new_user")
            self.check.page_state("sign_in_failed")
            self.page.fill("#user_email", login.email)
            self.page.fill("#user_password", login.password)
            self.submit("form#new_user")
            self.check.page_state("two_factor")
            totp = pyotp.TOTP(login.otp_secret)
            wrong = f"{(int(totp.now()) + 500000) % 1000000:06d}"
            self.page.fill("#user_otp_attempt", wrong)
            self.submit("form#otp-authentication-form")
            self.check.page_state("two_factor_failed")
            self.page.fill("#user_otp_attempt", totp.now())
            self.submit("form#otp-authentication-form")
            self.page.wait_for_selector("div.app-holder", timeout=5000)
            self.check.page_state("signed_in")

    def compose(self) -> None:
        with self.state("compose", "compose_typed", "compose_posted"):
            if not self.page.locator("form.compose-form").count():
                self.goto(self.old, "/")
            self.page.wait_for_selector("form.compose-form", timeout=5000)
            self.check.page_state("compose")
            self.page.locator("textarea.autosuggest-textarea__textarea").first.fill("Fidelity check post")
            self.check.page_state("compose_typed")
            self.page.locator(".compose-form button[type='submit']").first.click()
            if self.version not in ("4.1", "4.2"):
                with contextlib.suppress(Exception):
                    self.page.wait_for_selector(".notification-bar-message", timeout=3000)
            self.check.page_state("compose_posted")
        with self.state("share"):
            self.goto(self.old, "/share?text=fidelity+share+text")
            self.check.page_state("share")

    def settings_and_export(self) -> None:
        with self.state("settings_layout", "export", "settings_layout_http"):
            self.goto(self.old, "/settings/export")
            self.check.page_state("settings_layout")
            self.http(self.old).check("settings_layout_http")
            self.check.page_state("export")
        with self.state("export_csv"):
            self.http(self.old).check("export_csv")
        with self.state("export_archive"):
            self.follow('a.button[data-method="post"][href="/settings/export"]')
            self.check.page_state("export_archive")
        with self.state("auth_edit"):
            self.goto(self.old, "/auth/edit")
            self.check.page_state("auth_edit")

    def profile(self) -> None:
        display_name = f"Fidelity {self.lang}"
        if self.version in ("4.6", "4.7"):
            # 4.6 moved editing into the web app: the page is a callout (the editor is checked elsewhere).
            with self.state("profile"):
                self.goto(self.old, "/settings/profile")
                self.check.page_state("profile")
            with self.state("privacy"):
                self.goto(self.old, "/settings/privacy")
                self.check.page_state("privacy")
            with self.state("profile_editor", "profile_editor_dialog", "profile_editor_http"):
                self.goto(self.old, "/settings/profile")
                self.follow('aside.callout a[href="/profile/edit"]')
                self.page.wait_for_selector("section ol > li", timeout=8000)
                self.check.page_state("profile_editor", {"username": self.old_login.username})
                self.http(self.old).check("profile_editor_http")
                self.page.locator("section > header > button[title]").first.click()
                self.page.wait_for_selector('[role="dialog"] input[type="text"]', timeout=5000)
                name = self.cluster.old.account(self.old_login.username)["display_name"]
                self.check.page_state("profile_editor_dialog", {"display_name": name})
                self.page.keyboard.press("Escape")
            return
        with self.state("profile_editor_http"):
            self.http(self.old).check("profile_editor_http")
        with self.state("profile", "profile_saved"):
            self.goto(self.old, "/settings/profile")
            self.check.page_state("profile")
            self.page.fill("#account_display_name", display_name)
            self.submit("form:has(#account_display_name)")
            self.check.page_state("profile_saved", {"display_name": display_name})
        if self.version != "4.1":
            with self.state("privacy"):
                self.goto(self.old, "/settings/privacy")
                self.check.page_state("privacy")

    def upload(self, filename: str, body: str, type_: str = "following", mode: str = "merge",
               mime: str = "text/csv") -> None:
        prefix = "import" if self.version == "4.1" else "form_import"
        form = 'form:has(select[name="import[type]"])' if self.version == "4.1" else "form#new_form_import"
        self.page.select_option(f'select[name="{prefix}[type]"]', type_)
        self.page.locator(f'input[name="{prefix}[mode]"][value="{mode}"]').check()
        self.page.set_input_files(f'input[name="{prefix}[data]"]',
                                  files=[{"name": filename, "mimeType": mime, "buffer": body.encode()}])
        self.submit(form)

    def import_id(self) -> str:
        m = re.search(r"/settings/imports/(\d+)", self.page.url)
        if not m:
            raise AssertionError(f"not on a confirmation page: {self.page.url}")
        return m.group(1)

    def imports(self) -> None:
        a, b = self.remote_accts
        follows = FOLLOWS_CSV.format(a=a, b=b)
        if self.version == "4.1":
            with self.state("import41", "import41_done"):
                self.goto(self.old, "/settings/import")
                self.check.page_state("import41")
                self.upload("follows.csv", follows)
                self.check.page_state("import41_done")
            return
        with self.state("import", "import_confirm", "import_confirmed"):
            self.goto(self.old, "/settings/imports")
            self.check.page_state("import")
            self.upload("follows.csv", follows)
            ctx = {"import_id": self.import_id(), "total_items": 2, "count": 2, "filename": "follows.csv"}
            self.check.page_state("import_confirm", ctx)
            self.follow(f'a[data-method="post"][href="/settings/imports/{ctx["import_id"]}/confirm"]')
            self.check.page_state("import_confirmed", ctx)
        with self.state("import_mismatch", "import_cancelled", "import_cancelled_http"):
            self.goto(self.old, "/settings/imports")
            self.upload("blocks.csv", f"{a}\n{b}\n")
            ctx = {"import_id": self.import_id()}
            self.check.page_state("import_mismatch", ctx)
            self.follow(f'a[data-method="delete"][href="/settings/imports/{ctx["import_id"]}"]')
            self.check.page_state("import_cancelled", ctx)
            self.http(self.old).check("import_cancelled_http", ctx)
        with self.state("import_overwrite", "import_unconfirmed"):
            self.goto(self.old, "/settings/imports")
            self.upload("follows.csv", follows, mode="overwrite")
            ctx = {"import_id": self.import_id(), "total_items": 2, "count": 2, "filename": "follows.csv"}
            self.check.page_state("import_overwrite", ctx)
            self.goto(self.old, "/settings/imports")
            self.check.page_state("import_unconfirmed", ctx)
            self.goto(self.old, f"/settings/imports/{ctx['import_id']}")
            self.follow(f'a[data-method="delete"][href="/settings/imports/{ctx["import_id"]}"]')
        with self.state("import_incompatible"):
            self.goto(self.old, "/settings/imports")
            self.upload("domain_blocks.csv", "#domain\nbad.example\n")
            self.check.page_state("import_incompatible", {"count": 1})
        with self.state("import_empty"):
            self.goto(self.old, "/settings/imports")
            self.upload("empty.csv", "")
            self.check.page_state("import_empty", {"count": 1})
        if self.version in ("4.6", "4.7"):
            with self.state("import_csv_as_json"):
                # Form::Import (4.6) parses an upload declared application/json as JSON, whatever its name.
                self.goto(self.old, "/settings/imports")
                self.upload("follows.csv", follows, mime="application/json")
                self.check.page_state("import_csv_as_json", {"count": 1})

    def migrate(self, acct: str, password: str) -> None:
        self.page.fill("#account_migration_acct", acct)
        self.page.fill("#account_migration_current_password", password)
        self.submit("form#new_account_migration")

    def migration_errors(self) -> None:
        old, new = self.old_login, self.new_login
        with self.state("migration"):
            self.goto(self.old, "/settings/migration")
            self.check.page_state("migration")
        # count: how many errors the summary reports (moving to oneself adds two, see facts.py)
        for name, acct, password, count in (("migration_wrong_password", new.acct, old.password + "-wrong", 1),
                                            ("migration_not_alias", new.acct, old.password, 1),
                                            ("migration_self", old.acct, old.password, 2),
                                            ("migration_not_found", f"nobody-{self.lang}@{new.domain}", old.password, 1)):
            with self.state(name):
                self.goto(self.old, "/settings/migration")
                self.migrate(acct, password)
                self.check.page_state(name, {"count": count})

    def sign_in_new_and_aliases(self) -> None:
        new, old = self.new_login, self.old_login
        with self.state("aliases", "aliases_not_found", "aliases_self", "aliases_created", "aliases_deleted"):
            self.goto(self.new, "/auth/sign_in")
            self.page.fill("#user_email", new.email)
            self.page.fill("#user_password", new.password)
            self.submit("form#new_user")
            if self.page.locator("form#otp-authentication-form").count() and new.otp_secret:
                self.page.fill("#user_otp_attempt", pyotp.TOTP(new.otp_secret).now())
                self.submit("form#otp-authentication-form")
            self.goto(self.new, "/settings/aliases")
            self.check.page_state("aliases")
            for name, acct in (("aliases_not_found", f"nobody-{self.lang}@{old.domain}"),
                               ("aliases_self", new.acct)):
                self.page.fill("#account_alias_acct", acct)
                self.submit("form#new_account_alias")
                self.check.page_state(name, {"count": 1})
            self.page.fill("#account_alias_acct", f"  @{old.acct} ")
            self.submit("form#new_account_alias")
            self.check.page_state("aliases_created", {"old_acct": old.acct})
            self.follow('table.table.inline-table a[data-method="delete"][href^="/settings/aliases/"]')
            self.check.page_state("aliases_deleted")
        with self.state("alias_for_move"):
            self.goto(self.new, "/settings/aliases")
            self.page.fill("#account_alias_acct", old.acct)
            self.submit("form#new_account_alias")
            if not self.page.locator(f'table.table.inline-table td:has-text("{old.acct}")').count():
                raise AssertionError("the alias needed for the move could not be created")

    def move(self) -> None:
        old, new = self.old_login, self.new_login
        with self.state("migration_moved", "moved_auth_edit", "moved_http", "moved_export", "moved_profile",
                        "migration_cooldown", "migration_cancelled"):
            self.goto(self.old, "/settings/migration")
            deadline = time.monotonic() + 10
            while True:  # an alias may take a moment to be visible to the other server
                self.migrate(new.acct, old.password)
                if not self.page.locator(".account_migration_acct span.error").count() or time.monotonic() > deadline:
                    break
                time.sleep(1)
            self.check.page_state("migration_moved", {"acct": new.acct, "count": 30})
            self.goto(self.old, "/auth/edit")
            self.check.page_state("moved_auth_edit", {"acct": new.acct})
            self.http(self.old).check("moved_http")
            self.goto(self.old, "/settings/export")
            self.check.page_state("moved_export")
            self.goto(self.old, f"/@{old.username}")
            with contextlib.suppress(Exception):
                self.page.wait_for_selector("div.moved-account-banner", timeout=3000)
            self.check.page_state("moved_profile", {"new_username": new.username})
            self.old.advance_clock(36 * 3600)
            self.goto(self.old, "/settings/migration")
            self.check.page_state("migration_cooldown", {"count": 29})
            self.follow('a[data-method="delete"][href="/settings/migration/redirect"]')
            self.check.page_state("migration_cancelled")

    def redirect(self) -> None:
        old, new = self.old_login, self.new_login
        def set_redirect(acct: str) -> None:
            self.goto(self.old, "/settings/migration/redirect/new")
            self.page.fill("#form_redirect_acct", acct)
            self.page.fill("#form_redirect_current_password", old.password)
            self.submit("form#new_form_redirect")

        with self.state("redirect", "redirect_empty"):
            self.goto(self.old, "/settings/migration/redirect/new")
            self.check.page_state("redirect")
            self.submit("form#new_form_redirect")
            self.check.page_state("redirect_empty", {"count": 1})
        for name, acct in (("redirect_self", old.acct), ("redirect_not_found", f"nobody-{self.lang}@{new.domain}")):
            with self.state(name):
                set_redirect(acct)
                self.check.page_state(name, {"count": 1})
        with self.state("redirect_set", "redirect_already", "redirect_cancelled"):
            set_redirect(new.acct)
            self.check.page_state("redirect_set", {"acct": new.acct})
            set_redirect(new.acct)
            self.check.page_state("redirect_already", {"count": 1})
            self.goto(self.old, "/settings/migration")
            self.follow('a[data-method="delete"][href="/settings/migration/redirect"]')
            self.check.page_state("redirect_cancelled")

    def cooldown_over(self) -> None:
        with self.state("migration_cooldown_over"):
            self.old.advance_clock(30 * 24 * 3600)
            self.goto(self.old, "/settings/migration")
            self.check.page_state("migration_cooldown_over")

    def errors(self) -> None:
        with self.state("errors"):
            self.http(self.old).check("errors")

    def sign_out(self) -> None:
        with self.state("signed_out_after", "signed_out_after_http"):
            self.goto(self.old, "/settings/export")
            self.follow(".sidebar li#logout > a")
            self.check.page_state("signed_out_after")
            self.http(self.old).check("signed_out_after_http")


# Signed in, Mastodon picks the UI language from the user's setting, else from the browser's
# Accept-Language (then the server default): the person's browser speaks the language under test.
BROWSER_LOCALE = {"en": "en-US", "de": "de-DE", "fr": "fr-FR"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("version", VERSIONS)
def test_pages_hold_mastodon_facts(mastodon_factory, browser, browser_context_args, version: str, lang: str) -> None:
    mastodon = mastodon_factory(version=version, locale=lang, alias_delay_seconds=0)
    context = browser.new_context(**{**browser_context_args, "locale": BROWSER_LOCALE[lang]})
    page = context.new_page()
    page.set_default_timeout(8000)
    page.set_default_navigation_timeout(15000)
    try:
        rec = Walk(page, mastodon, version, lang).run()
    finally:
        context.close()
    report = rec.write()
    unvisited = [p for p in PAGES if p not in rec.checked_pages and facts_for(p, version, lang)
                 and not any(r.page == p for r in rec.results)]
    message = []
    if rec.warnings:
        message.append(f"{len(rec.warnings)} mismatches on best-evidence rows (warnings):\n{describe(rec.warnings)}")
        print("\n".join(message))
    assert not unvisited, f"page states never checked: {unvisited}"
    assert not rec.failures, (f"{len(rec.failures)} of {len(rec.results)} facts differ from Mastodon "
                              f"({version}, {lang}; report: {report}):\n{describe(rec.failures)}")

"""What the flows read from Mastodon 4.4-4.7 pages, on small pages written from Mastodon's views
(app/views/**; the settings pages of 4.6.5), and the pure parts of the new flows: what fits a
server's profile limits, the filters JSON, the lists file, where a sign-in lands."""
from __future__ import annotations

import json

import pytest

from mastomove.agent.errors import NeedsPerson, how_to_go_on
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import FILTERS, FOLLOWS
from mastomove.flows.pages.imports import ImportConfirmationPage, parse_import_row
from mastomove.flows.pages.landing import Landing, landing
from mastomove.flows.pages.profile import ProfileKind, ProfileLimits, ProfilePage, ProfileText
from mastomove.flows.pages.profile_editor import EditorProfile
from mastomove.flows.pages.sign_in import SignInPage, SignInStage
from mastomove.flows.steps.lists import wanted_lists
from mastomove.flows.steps.profile import Profile, fit, same_text, shorten, utf16_length

from test_flows_pages import html  # noqa: F401 - the shared tiny-site fixtures
from test_flows_pages import account, serve, site  # noqa: F401


# --- profile: which page, what fits ------------------------------------------------------------
FORM_45 = """<form id="edit_profile" class="simple_form" action="/settings/profile" method="post">
<div class="fields-group"><input maxlength="30" name="account[display_name]" type="text" value="Alice"></div>
<div class="fields-group"><textarea maxlength="500" name="account[note]">Hi</textarea></div>
<div class="row"><input maxlength="255" name="account[fields_attributes][0][name]" value="Web">
<input maxlength="255" name="account[fields_attributes][0][value]" value="https://a.example"></div>
<div class="row"><input maxlength="255" name="account[fields_attributes][1][name]" value="">
<input maxlength="255" name="account[fields_attributes][1][value]" value=""></div>
<button type="submit">Save changes</button></form>"""
# settings/profiles/show + settings/shared/_profile_new_notice (4.6.5), in German
CALLOUT_46 = """<h1>Profil</h1><aside class="callout"><div class="content"><div class="body">
<p class="title">Das Bearbeiten von Profilen ist umgezogen</p><p>...</p></div>
<a href="/profile/edit">Profil bearbeiten</a></div></aside>"""


def test_the_profile_page_says_which_way_the_server_edits_profiles(serve, page, account):
    serve({"/settings/profile": html(FORM_45)})
    profile = ProfilePage(page, account)
    profile.open()
    assert profile.kind() is ProfileKind.FORM
    assert profile.limits() == ProfileLimits(display_name=30, note=500, fields=2, field_name=255, field_value=255)
    assert profile.read() == ProfileText("Alice", "Hi", [("Web", "https://a.example")])

    serve({"/settings/profile": html(CALLOUT_46)})
    profile.open()
    assert profile.kind() is ProfileKind.EDITOR

    serve({"/settings/profile": html("<h1>Profil</h1><p>nothing to edit here</p>")})
    profile.open()
    assert profile.kind() is ProfileKind.UNKNOWN  # never taken for a moved account


def test_the_privacy_pages_editor_link_is_not_the_profile_callout(serve, page, account):
    # 4.6's privacy page links to /profile/edit too; only /settings/profile's callout counts.
    serve({"/settings/privacy": html("<a href='/profile/edit'>Profil bearbeiten</a>")})
    profile = ProfilePage(page, account)
    profile.open("/settings/privacy")
    assert profile.kind() is ProfileKind.UNKNOWN


def test_shorten_counts_as_browsers_do_and_keeps_emoji_whole():
    assert shorten("Alice", 30) == "Alice"
    assert shorten("a" * 35, 30) == "a" * 30
    assert utf16_length("🦣") == 2
    assert shorten("ab🦣cd", 3) == "ab"
    family = "x" + "👩\u200d👩"  # a joined emoji cut after its joiner
    assert not shorten(family, 4).endswith("\u200d")
    assert shorten("x", None) == "x"


def test_a_46_profile_fitted_to_a_45_server():
    source = Profile(ProfileKind.EDITOR,
                     ProfileText("N" * 38, "bio", [("A", "1"), ("B", ""), ("C", "3"), ("D", "4"), ("E", "5"), ("F", "6")]),
                     {"avatar": "https://files.example/a.png", "header": None}, {"avatar": "Alice, smiling", "header": ""})
    limits = ProfileLimits(display_name=30, note=500, fields=4, field_name=255, field_value=255)
    fitted = fit(source, limits, ProfileKind.FORM, {"avatar": True, "header": False})
    assert fitted.text.display_name == "N" * 30
    assert [label for label, _ in fitted.text.fields] == ["A", "B", "C", "D"]
    said = " | ".join(fitted.notes)
    assert "display name shortened to 30" in said and "2 field(s) not copied" in said and "\"E\"" in said
    assert "avatar's alt text not carried: the new server is older than 4.6" in said
    assert fitted.descriptions == {}


def test_a_profile_fitted_to_the_46_editor():
    source = Profile(ProfileKind.FORM, ProfileText("Alice", "bio", [("A", "1"), ("Empty", "")]), {}, {})
    fitted = fit(source, ProfileLimits(display_name=40, fields=4, image_description=150), ProfileKind.EDITOR,
                 {"avatar": True})
    assert fitted.text.fields == [("A", "1")]
    assert any("\"Empty\" not copied" in note for note in fitted.notes)
    glitch = Profile(ProfileKind.EDITOR, ProfileText("x"), {}, {"avatar": "d" * 200})
    fitted = fit(glitch, ProfileLimits(image_description=150), ProfileKind.EDITOR, {"avatar": True})
    assert fitted.descriptions == {"avatar": "d" * 150}


def test_the_profile_the_editor_loads():
    # REST::ProfileSerializer (4.6.5): the texts as typed, absolute media URLs, alt texts
    loaded = EditorProfile.from_api({
        "id": "1", "display_name": "Alice", "note": "Line one\nLine two", "fields": [
            {"name": "Web", "value": "https://a.example", "verified_at": None}, {"name": " Pronouns ", "value": "she"}],
        "avatar": "https://files.example/accounts/avatars/1/original/a.png", "avatar_static": "x",
        "avatar_description": "Alice, smiling", "header": None, "header_description": ""})
    assert loaded.text == ProfileText("Alice", "Line one\nLine two", [("Web", "https://a.example"), ("Pronouns", "she")])
    assert loaded.images == {"avatar": "https://files.example/accounts/avatars/1/original/a.png", "header": None}
    assert loaded.descriptions == {"avatar": "Alice, smiling", "header": ""}
    assert same_text(loaded.text, ProfileText("Alice ", "Line one\r\nLine two", [("Web", "https://a.example"),
                                                                                  ("Pronouns", "she")]))


# --- where a sign-in lands -------------------------------------------------------------------------
@pytest.mark.parametrize("path, expected", [
    ("/settings/profile", Landing.WANTED),
    ("/settings/otp_authentication", Landing.TWO_FACTOR_SETUP),
    ("/settings/two_factor_authentication_methods", Landing.TWO_FACTOR_SETUP),
    ("/auth/setup", Landing.AUTH_SETUP),
    ("/auth/edit", Landing.ACCOUNT_SETTINGS),
    ("/auth/sign_in", Landing.SIGN_IN),
    ("/auth/challenge/whatever", Landing.UNKNOWN),
])
def test_landings(serve, page, account, path, expected):
    serve({"/settings/profile": (302, "", {"location": path}), path: html("<p>x</p>")})
    profile = ProfilePage(page, account)
    profile.open(signed_in=False)
    assert landing(profile, "/settings/profile") is expected


def test_an_unknown_form_after_the_password_is_no_single_sign_on(serve, page, account):
    serve({"/auth/sign_in": html("<form action='/auth/sign_in' method='post'><input name='user[challenge_code]'>"
                                 "<button type='submit'>Weiter</button></form>")})
    form = SignInPage(page, account)
    form.open()
    assert form.stage() is SignInStage.UNKNOWN
    serve({"/auth/sign_in": html("<div class='simple_form alternative-login'><h1>Anmelden mit</h1><div class='actions'>"
                                 "<form action='/auth/auth/openid_connect' method='post'><button>SSO</button></form>"
                                 "</div></div>")})
    form.open()
    assert form.stage() is SignInStage.EXTERNAL_ONLY


def test_needs_person_says_how_to_go_on_in_the_agent_not_the_flow():
    error = NeedsPerson("The old server requires two-factor authentication", needs="set_up_two_factor", role="old")
    assert "MASTOMOVE_OLD_OTP_SECRET" in str(error) and error.needs == "set_up_two_factor"
    assert "mastomove login new" in how_to_go_on("sign_in_by_hand", "new")
    assert NeedsPerson("x").hint is None


# --- filters and imports (4.6) ---------------------------------------------------------------------
FILTERS_JSON = json.dumps({"custom_filters": [
    {"title": "Spoilers", "expires_at": None, "context": ["home"], "action": "warn",
     "keywords_attributes": [{"keyword": "finale", "whole_word": True}], "statuses": []},
    {"title": "Ads", "expires_at": None, "context": ["public"], "action": "hide", "keywords_attributes": [],
     "statuses": ["https://remote.test/statuses/1"]}]})


def test_the_filters_export_is_json_named_and_uploaded_as_json():
    assert FILTERS.export_path == "/settings/exports/custom_filters.json" and FILTERS.filename == "custom_filters.json"
    assert FILTERS.mime == "application/json" and FOLLOWS.mime == "text/csv"
    assert csv_formats.count_entries(FILTERS, FILTERS_JSON) == 2
    assert csv_formats.count_entries(FILTERS, "not json") == 0
    assert csv_formats.count_entries(FOLLOWS, "a@b.test\n") == 1


def test_the_filters_failures_link_is_json():
    row = parse_import_row("9", ["Filter", "Fertig", "1 / 2", "heute", "1"],
                           ["/settings/imports/9/failures.json"])
    assert row.finished and row.failures == 1 and row.failures_href.endswith("failures.json")


SHOW_46 = """<div class="flash-message warning">{first}</div>{second}
<p class="hint">Du bist dabei, bis zu <strong>2 Filter</strong> aus <strong>custom_filters.json</strong> zu importieren.</p>
<div class="simple_form"><div class="actions">
<a data-method="delete" class="button button-secondary" href="/settings/imports/5">Abbrechen</a>
<a data-method="post" class="button" href="/settings/imports/5/confirm">Bestätigen</a></div></div>"""


def test_the_unknown_posts_note_of_a_filters_import_is_no_type_mismatch(serve, page, account):
    serve({"/settings/imports/5": html(SHOW_46.format(first="Einige gefilterte Beiträge sind unbekannt.", second=""))})
    confirmation = ImportConfirmationPage(page, account, "5")
    assert confirmation.open_import()
    assert confirmation.mismatch_warning(json_upload=True) is None
    assert confirmation.mismatch_warning() == "Einige gefilterte Beiträge sind unbekannt."  # a CSV: a mismatch
    both = SHOW_46.format(first="Die Datei scheint ein anderer Typ zu sein.",
                          second="<div class='flash-message warning'>Einige Beiträge sind unbekannt.</div>")
    serve({"/settings/imports/5": html(both)})
    confirmation.open_import()
    assert confirmation.mismatch_warning(json_upload=True) == "Die Datei scheint ein anderer Typ zu sein."


# --- lists --------------------------------------------------------------------------------------
def test_the_lists_file_as_lists_and_members():
    text = "Friends,bob@remote.test\nFriends,@carol@old.test\nFriends,bob@remote.test\nEmpty\nWork,dave@new.test\n"
    assert wanted_lists(text) == {"Friends": ["bob@remote.test", "carol@old.test"], "Empty": [],
                                  "Work": ["dave@new.test"]}

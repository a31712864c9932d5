"""Mastodon's export formats (app/models/export.rb) as the flows read them."""
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import BLOCKS, BOOKMARKS, DOMAIN_BLOCKS, FOLLOWS, IMPORT_ORDER, LISTS, MUTES

FOLLOWS_CSV = (
    "Account address,Show boosts,Notify on new posts,Languages\n"
    "alice@remote.test,true,false,en\n"
    "bob@remote.test,false,true,\"fr, de\"\n"
    "\n"
    "carol@old.test,true,false,\n"
)


def test_follows_has_a_header_and_quoted_languages():
    assert csv_formats.count_rows(FOLLOWS_CSV) == 3
    assert csv_formats.rows(FOLLOWS_CSV)[1] == ["bob@remote.test", "false", "true", "fr, de"]
    assert csv_formats.accounts(FOLLOWS, FOLLOWS_CSV) == ["alice@remote.test", "bob@remote.test", "carol@old.test"]


def test_header_less_exports_count_every_line():
    assert csv_formats.count_rows("foo@bar.test\nbaz@bar.test\n") == 2
    assert csv_formats.count_rows("bad.domain\nworse.domain") == 2
    assert csv_formats.count_rows("https://foo.bar/statuses/1312\n") == 1
    assert csv_formats.accounts(BLOCKS, "@foo@bar.test\n") == ["foo@bar.test"]
    assert csv_formats.accounts(DOMAIN_BLOCKS, "bad.domain\n") == []


def test_mutes_header_and_empty_files():
    assert csv_formats.count_rows("Account address,Hide notifications\nfoo@bar.test,true\n") == 1
    assert csv_formats.count_rows("Account address,Hide notifications\n") == 0
    assert csv_formats.count_rows("") == 0
    assert csv_formats.count_rows("\ufeff\n\n") == 0


def test_lists_are_one_row_per_member():
    text = "The List,test@example.com\nThe List,other@example.com\nAmigos,user@example.com\n"
    assert csv_formats.count_rows(text) == 3
    assert csv_formats.list_names(text) == ["The List", "Amigos"]
    assert csv_formats.accounts(LISTS, text) == ["test@example.com", "other@example.com", "user@example.com"]
    # the importer's own header, if a file has one
    assert csv_formats.count_rows("List name,Account address\nA,b@c.test\n") == 1


def test_kinds_map_exports_to_import_types_and_follows_come_before_lists():
    assert [k.import_type for k in IMPORT_ORDER] == ["following", "lists", "blocking", "muting", "domain_blocking", "bookmarks"]
    assert FOLLOWS.export_path == "/settings/exports/follows.csv"
    assert MUTES.filename == "mutes.csv" and BOOKMARKS.account_column is None

"""Mastodon's pages and the steps of a migration through them."""

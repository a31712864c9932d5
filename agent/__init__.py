"""mastomove: move a Mastodon account through its web UI, with evidence at every step."""

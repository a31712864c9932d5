"""One page object per Mastodon page: its locators and the actions a person performs there."""

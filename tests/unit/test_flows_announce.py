"""Finding an announcement already posted, in the HTML Mastodon made of it."""
from mastomove.flows.steps.announce import announcement_text, comparable, is_announcement
from mastomove.agent.settings import DEFAULT_ANNOUNCEMENT

TEXT = announcement_text(DEFAULT_ANNOUNCEMENT, "alice@old.example", "alice@new.example")


def test_template_fills_handles_and_keeps_other_braces():
    assert "@alice@old.example" in TEXT and "@alice@new.example" in TEXT
    assert announcement_text("{old} -> {new} {x}", "a@b.c", "d@e.f") == "a@b.c -> d@e.f {x}"


def test_posted_html_matches_the_text():
    content = (
        '<p>I&#39;m moving from <span class="h-card" translate="no"><a href="https://old.example/@alice" '
        'class="u-url mention">@<span>alice</span></a></span> to this account, <span class="h-card">'
        '<a href="https://new.example/@alice" class="u-url mention">@<span>alice</span></a></span>. '
        "Follow me here; my old account will redirect soon.</p>"
    )
    assert is_announcement({"content": content}, TEXT)
    # an unresolved mention stays plain text
    assert is_announcement({"content": f"<p>{TEXT}</p>"}, TEXT)
    assert not is_announcement({"content": "<p>Good morning</p>"}, TEXT)
    assert comparable("<p>a</p><p>b</p>") == "a b"

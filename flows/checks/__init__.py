"""mastomove's knowledge of Mastodon's migration pages, as a regression suite an instance admin
runs against their own server: `mastomove check-ui`, or plain pytest:

    pytest -p flows.checks.plugin --pyargs flows.checks --base-url https://social.example

Non-destructive by default: it signs in (with the two-factor step), follows the settings
navigation to each page, downloads and parses every export, takes the import form to its
confirmation step and cancels, and submits the alias and migration forms with input they must
refuse; the compose box is checked without posting. `--destructive` moves one throwaway account
to another for real, with the agent's own steps. See flows/checks/plugin.py for the settings.
"""

"""One page object per Mastodon page: its locators and the actions a person performs there."""
from flows.pages.account_settings import AccountSettingsPage
from flows.pages.aliases import AliasesPage
from flows.pages.base import MastodonPage
from flows.pages.compose import ComposePage
from flows.pages.export import ExportPage
from flows.pages.imports import ImportConfirmationPage, ImportsPage, ImportVersion
from flows.pages.migration import MigrationPage
from flows.pages.profile import PrivacyPage, ProfilePage
from flows.pages.public import PublicSide
from flows.pages.sign_in import SignInPage

__all__ = [
    "AccountSettingsPage", "AliasesPage", "ComposePage", "ExportPage", "ImportConfirmationPage", "ImportsPage",
    "ImportVersion", "MastodonPage", "MigrationPage", "PrivacyPage", "ProfilePage", "PublicSide", "SignInPage",
]

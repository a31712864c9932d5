"""One page object per Mastodon page: its locators and the actions a person performs there."""
from mastomove.flows.pages.account_settings import AccountSettingsPage
from mastomove.flows.pages.aliases import AliasesPage
from mastomove.flows.pages.base import MastodonPage
from mastomove.flows.pages.compose import ComposePage
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.pages.imports import ImportConfirmationPage, ImportsPage, ImportVersion
from mastomove.flows.pages.migration import MigrationPage
from mastomove.flows.pages.profile import PrivacyPage, ProfilePage
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.pages.sign_in import SignInPage

__all__ = [
    "AccountSettingsPage", "AliasesPage", "ComposePage", "ExportPage", "ImportConfirmationPage", "ImportsPage",
    "ImportVersion", "MastodonPage", "MigrationPage", "PrivacyPage", "ProfilePage", "PublicSide", "SignInPage",
]

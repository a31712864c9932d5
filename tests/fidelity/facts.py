"""What real Mastodon shows on the pages mastomove drives, as a table of plain data.

Written from ../shared/mastodon-ui.md (section numbers in `source`) and Mastodon's own source
(paths in `source`); never from the imitation's code. Every row names the page state it belongs
to (`page`), the Mastodon versions and UI languages it applies to, and how to check it:

  kind        what is compared
  ---------   -----------------------------------------------------------------------------
  exists      `selector` matches at least one element (or exactly `expected` elements if int)
  absent      `selector` matches nothing
  attr        attribute `attr` of the first match equals / matches `expected`
              (expected None: the attribute must be absent; True: it must be present)
  text        normalised text of the first match equals / contains `expected`
  value       the current value (input_value) of the first match
  anytext     some match has that text
  texts       the texts of all matches, in order, equal the `expected` list
  textset     the texts of all matches, as a set, equal the `expected` list
  values      the `attr` (default "value") of all matches, in order, equal `expected`
  disabled    the first match is disabled (expected True) or enabled (False)
  title       document.title is "<expected>" or "<expected> - <site title>"
  path        the page's URL path fully matches the regex `expected`
  cookie      a cookie named `selector` exists in the browser
  status      HTTP: `selector` is "METHOD /path"; the response status equals `expected`
  location    HTTP: same request; the Location header's path fully matches `expected`
  header      HTTP: same request; header `attr` matches the regex `expected`
  csv         HTTP: same request; `expected` is a dict: header (first line or None), row (regex
              every data line must fully match), filename (regex for Content-Disposition)
  body        HTTP: same request; the response body (tags stripped) contains `expected`
  follows_count  the export table's Follows count equals the data rows of follows.csv
HTTP requests written "GET /path [fault KIND]" are made after arming that fault on the path.

Text values are `T(en=..., de=..., fr=...)` dicts, copied from Mastodon's locale files
(config/locales/*.yml, app/javascript/mastodon/locales/*.json; see fixtures/locales/*.yml for
the file versions read). A language missing from a T falls back to English, as Mastodon does.
Values may hold Rails `%{var}` / ICU `{var}` placeholders, filled at check time from what the
test knows (domain, acct, count, filename, ...); `_html` strings are compared without tags.
A value that is a dict with one/other is a plural form, chosen by `count`.

`inferred` lists "version/lang" patterns ("4.1/*", "*/de", "4.2/fr") for which the row's
expectation is best evidence rather than established (mastodon-ui.md "Open questions", strings
read from a file of another release). Mismatches there are reported as warnings, not failures.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

VERSIONS = ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7")
LANGS = ("en", "de", "fr")


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def since(version: str) -> tuple[str, ...]:
    """The releases from `version` on."""
    return tuple(v for v in VERSIONS if _release(v) >= _release(version))


def between(first: str, last: str) -> tuple[str, ...]:
    return tuple(v for v in VERSIONS if _release(first) <= _release(v) <= _release(last))


V41 = ("4.1",)
V42PLUS = since("4.2")
V43PLUS = since("4.3")
V41_42 = ("4.1", "4.2")
V45PLUS = since("4.5")
V46PLUS = since("4.6")
UPTO45 = between("4.1", "4.5")
V42_45 = between("4.2", "4.5")
# Where the 4.4-4.7 facts come from: the last tag of each line in the glitch-soc/mastodon
# repository (upstream's history and tags); 4.7 is upstream main at 4.7.0-alpha.2.
TAGS = {"4.4": "v4.4.22", "4.5": "v4.5.15", "4.6": "v4.6.5", "4.7": "main@4.7.0-alpha.2"}

MD = "mastodon-ui.md"


class ByVersion(dict):
    """Texts that changed between releases: {first release: T(...)}; the check picks the entry of
    the latest release not newer than the one under test."""

    def at(self, version: str) -> dict[str, Any]:
        chosen = None
        for first in sorted(self, key=_release):
            if _release(first) <= _release(version):
                chosen = self[first]
        return chosen if chosen is not None else self[min(self, key=_release)]


def T(en: Any, de: Any = None, fr: Any = None) -> dict[str, Any]:
    """A text per language; missing languages fall back to English."""
    out = {"en": en}
    if de is not None:
        out["de"] = de
    if fr is not None:
        out["fr"] = fr
    return out


@dataclass(frozen=True)
class Fact:
    id: str
    page: str
    kind: str
    selector: str = ""
    expected: Any = None
    attr: str = ""
    match: str = "exact"  # exact | contains | regex | startswith | template
    versions: tuple[str, ...] = VERSIONS
    langs: tuple[str, ...] = LANGS
    inferred: tuple[str, ...] = ()
    source: str = ""
    note: str = ""

    def applies(self, version: str, lang: str) -> bool:
        return version in self.versions and lang in self.langs

    def strict(self, version: str, lang: str) -> bool:
        return not any(fnmatch(f"{version}/{lang}", pattern) for pattern in self.inferred)


# --------------------------------------------------------------------------------------------
# Mastodon's strings (config/locales/{en,de,fr}.yml, simple_form.*, devise.*, activerecord.*,
# rails-i18n, app/javascript/mastodon/locales/*.json), keyed by their Mastodon key.
# --------------------------------------------------------------------------------------------
L: dict[str, dict[str, Any]] = {
    # auth / devise / users
    "auth.login": T("Log in", "Anmelden", "Se connecter"),
    "auth.logout": T("Logout", "Abmelden", "Se déconnecter"),
    "auth.sign_in.title": T("Login to %{domain}", "Bei %{domain} anmelden", "Se connecter à %{domain}"),
    "auth.sign_in.title@4.1": T("Sign in to %{domain}"),
    "auth.migrate_account": T("Move to a different account", "Zu einem anderen Konto umziehen",
                              "Déménager vers un compte différent"),
    "auth.migrate_account_html": T(
        'If you wish to redirect this account to a different one, you can <a href="%{path}">configure it here</a>.',
        'Wenn du dieses Konto auf ein anderes weiterleiten möchtest, kannst du es <a href="%{path}">hier konfigurieren</a>.',
        'Si vous voulez rediriger ce compte vers un autre, vous pouvez le <a href="%{path}">configurer ici</a>.'),
    "auth.status.redirecting_to": T(
        "Your account is inactive because it is currently redirecting to %{acct}.",
        "Dein Konto ist inaktiv, weil es zu %{acct} umgezogen ist.",
        "Votre compte est inactif car il est actuellement redirigé vers %{acct}."),
    # devise.failure.invalid with %{authentication_keys} = activerecord.attributes.user.email
    "devise.failure.invalid(email)": T("Invalid E-mail address or password.",
                                       "E-Mail-Adresse oder Passwort ungültig.",
                                       "Adresse de courriel ou mot de passe invalide."),
    "users.invalid_otp_token": T("Invalid two-factor code",
                                 "Ungültiger Code der Zwei-Faktor-Authentisierung (2FA)",
                                 "Le code d’authentification à deux facteurs est invalide"),
    "simple_form.hints.sessions.otp": T(
        "Enter the two-factor code generated by your phone app or use one of your recovery codes:",
        "Gib den Zwei-Faktor-Code von deinem Smartphone ein oder verwende einen deiner Wiederherstellungscodes:",
        "Entrez le code d’authentification à deux facteurs généré par l’application de votre téléphone ou utilisez un de vos codes de récupération :"),
    "labels.email": T("E-mail address", "E-Mail-Adresse", "Adresse de courriel"),
    "labels.password": T("Password", "Passwort", "Mot de passe"),
    "labels.otp_attempt": T("Two-factor code", "Zwei-Faktor-Authentisierung",
                            "Code d’authentification à deux facteurs"),
    # settings navigation and titles
    "settings.account": T("Account", "Konto", "Compte"),
    "settings.account_settings": T("Account settings", "Kontoeinstellungen", "Paramètres du compte"),
    "settings.aliases": T("Account aliases", "Konto-Aliasse", "Alias du compte"),
    "settings.back": T("Back to Mastodon", "Zurück zu Mastodon", "Retour vers Mastodon"),
    "settings.edit_profile": T("Edit profile", "Profil bearbeiten", "Modifier le profil"),
    "settings.export": T("Export", "Exportieren", "Export de données"),
    "settings.export@old": T("Data export"),
    "settings.import": T("Import", "Importieren", "Import de données"),
    "settings.import_and_export": T("Import and export", "Importieren und exportieren", "Import et export"),
    "settings.migrate": T("Account migration", "Kontoumzug", "Migration de compte"),
    "settings.preferences": T("Preferences", "Einstellungen", "Préférences"),
    "settings.profile": T("Public profile", "Öffentliches Profil", "Profil"),
    "settings.profile@4.1": T("Profile"),
    "settings.relationships": T("Follows and followers", "Follower und Folge ich", "Abonnements et abonné·e·s"),
    "privacy.title": T("Privacy and reach", "Datenschutz und Reichweite", "Vie privée et visibilité"),
    "filters.index.title": T("Filters", "Filter", "Filtres"),
    # generic
    "generic.cancel": T("Cancel", "Abbrechen", "Annuler"),
    "generic.confirm": T("Confirm", "Bestätigen", "Confirmer"),
    "generic.changes_saved_msg": T("Changes successfully saved!", "Änderungen erfolgreich gespeichert!",
                                   "Les modifications ont été enregistrées avec succès !"),
    "generic.save_changes": T("Save changes", "Änderungen speichern", "Enregistrer les modifications"),
    "generic.validation_errors": T(
        {"one": "Something isn't quite right yet! Please review the error below",
         "other": "Something isn't quite right yet! Please review %{count} errors below"},
        {"one": "Etwas ist noch nicht ganz richtig! Bitte korrigiere den Fehler",
         "other": "Etwas ist noch nicht ganz richtig! Bitte korrigiere %{count} Fehler"},
        {"one": "Quelque chose ne va pas ! Veuillez vérifiez l’erreur ci-dessous",
         "other": "Certaines choses ne vont pas ! Veuillez vérifier les %{count} erreurs ci-dessous"}),
    "errors.messages.invalid": T("is invalid", "ist nicht gültig", "n'est pas valide"),
    "errors.404": T("The page you are looking for isn't here.",
                    "Die Seite, nach der du gesucht hast, wurde nicht gefunden.",
                    "La page que vous recherchez n’existe pas."),
    "errors.422.title": T("Security verification failed", "Sicherheitsüberprüfung fehlgeschlagen",
                          "Vérification de sécurité échouée"),
    "errors.500.content": T("We're sorry, but something went wrong on our end.",
                            "Wir bitten um Verzeihung, aber etwas ist bei uns schiefgegangen.",
                            "Nous sommes désolé·e·s, mais quelque chose s’est mal passé de notre côté."),
    # export
    "exports.storage": T("Media storage", "Medienspeicher", "Médias stockés"),
    "accounts.posts_tab_heading": T("Posts", "Beiträge", "Messages"),
    "admin.accounts.follows": T("Follows", "Folge ich", "Abonnements"),
    "admin.accounts.followers": T("Followers", "Follower", "Abonné·e·s"),
    "exports.lists": T("Lists", "Listen", "Listes"),
    "exports.mutes": T("You mute", "Stummgeschaltete Profile", "Vous masquez"),
    "exports.blocks": T("You block", "Blockierte Profile", "Vous bloquez"),
    "exports.domain_blocks": T("Domain blocks", "Blockierte Domains", "Blocages de domaine"),
    "exports.bookmarks": T("Bookmarks", "Lesezeichen", "Marque-pages"),
    "exports.csv": T("CSV", "CSV", "CSV"),
    "exports.archive_takeout.request": T("Request your archive", "Dein Archiv anfordern", "Demandez vos archives"),
    "exports.archive_takeout.in_progress": T("Compiling your archive...", "Persönliches Archiv wird erstellt …",
                                             "Création de votre archive…"),
    "exports.archive_takeout.download": T("Download your archive", "Archiv jetzt herunterladen",
                                          "Télécharger votre archive"),
    "exports.archive_takeout.hint_html": T(
        "You can request an archive of your <strong>posts and uploaded media</strong>. The exported data will be in the ActivityPub format, readable by any compliant software. You can request an archive every 7 days.",
        "Du kannst ein Archiv deiner <strong>Beiträge, Listen, hochgeladenen Medien usw.</strong> anfordern. Die exportierten Daten werden im ActivityPub-Format gespeichert und können mit geeigneter Software ausgewertet und angezeigt werden. Du kannst alle 7 Tage ein Archiv erstellen lassen.",
        "Vous pouvez demander une archive de vos <strong>messages et médias téléversés</strong>. Les données exportées seront au format ActivityPub, lisible par tout logiciel compatible. Vous pouvez demander une archive tous les 7 jours."),
    # import
    "imports.upload": T("Upload", "Datei importieren", "Importer"),
    "imports.success": T("Your data was successfully uploaded and will be processed in due time",
                         "Deine Daten wurden erfolgreich hochgeladen und werden in Kürze verarbeitet",
                         "Vos données ont été importées avec succès et seront traitées en temps et en heure"),
    "imports.preface": T(
        "You can import data that you have exported from another server, such as a list of the people you are following or blocking.",
        "Daten, die du von einem Mastodon-Server exportiert hast, kannst du hierher importieren. Das betrifft beispielsweise die Listen von Profilen, denen du folgst oder die du blockiert hast.",
        "Vous pouvez importer certaines données que vous avez exporté d’un autre serveur, comme une liste des personnes que vous suivez ou bloquez sur votre compte."),
    "imports.type": T("Import type", "Importtyp", "Type d’import"),
    "imports.types.following": T("Following list", "Folge ich", "Liste de comptes suivis"),
    "imports.types.blocking": T("Blocking list", "Blockierte Profile", "Liste de comptes bloqués"),
    "imports.types.muting": T("Muting list", "Stummgeschaltete Profile", "Liste de comptes que vous masquez"),
    "imports.types.domain_blocking": T("Domain blocking list", "Blockierte Domains", "Liste des serveurs bloqués"),
    "imports.types.bookmarks": T("Bookmarks", "Lesezeichen", "Marque-pages"),
    "imports.types.lists": T("Lists", "Listen", "Listes"),
    "imports.type_groups.constructive": T("Follows & Bookmarks", "Folge ich & Lesezeichen", "Abonnements et signets"),
    "imports.type_groups.destructive": T("Blocks & mutes", "Blockierte & Stummgeschaltete", "Blocages et masquages"),
    "imports.modes.merge": T("Merge", "Zusammenführen", "Fusionner"),
    "imports.modes.merge_long": T("Keep existing records and add new ones",
                                  "Bestehende Datensätze beibehalten und neue hinzufügen",
                                  "Garder les enregistrements existants et ajouter les nouveaux"),
    "imports.modes.overwrite": T("Overwrite", "Überschreiben", "Écraser"),
    "imports.modes.overwrite_long": T("Replace current records with the new ones",
                                      "Bestehende Datensätze durch neue ersetzen",
                                      "Remplacer les enregistrements actuels par les nouveaux"),
    "imports.titles.following": T("Importing followed accounts", "Gefolgte Konten importieren",
                                  "En cours d’importation des comptes suivis"),
    "imports.preambles.following_html": T(
        "You are about to <strong>follow</strong> up to <strong>%{total_items} accounts</strong> from <strong>%{filename}</strong>.",
        "Du bist dabei, bis zu <strong>%{total_items} Konten</strong> aus <strong>%{filename}</strong> zu <strong>folgen</strong>.",
        "Vous allez <strong>suivre</strong> près de <strong>%{total_items} comptes</strong> tirés de <strong>%{filename}</strong>."),
    "imports.overwrite_preambles.following_html": T(
        "You are about to <strong>follow</strong> up to <strong>%{total_items} accounts</strong> from <strong>%{filename}</strong> and <strong>stop following anyone else</strong>.",
        "Du bist dabei, bis zu <strong>%{total_items} Konten</strong> aus <strong>%{filename}</strong> zu folgen und <strong>niemand anderes zu folgen</strong>.",
        "Vous allez <strong>suivre</strong> jusqu’à <strong>%{total_items} comptes</strong> depuis <strong>%{filename}</strong> et <strong>arrêter de suivre n’importe qui d’autre</strong>."),
    "imports.mismatched_types_warning": T(
        "It appears you may have selected the wrong type for this import, please double-check.",
        "Möglicherweise hast du den falschen Typ für diesen Import ausgewählt. Bitte überprüfe alles noch einmal.",
        "Il semblerait que vous avez sélectionné le mauvais type pour cet import, veuillez vérifier attentivement."),
    "imports.recent_imports": T("Recent imports", "Zuletzt importiert", "Récents imports"),
    "imports.status": T("Status", "Status", "Statut"),
    "imports.imported": T("Imported", "Importiert", "Importé"),
    "imports.time_started": T("Started at", "Gestartet am", "Démarré le"),
    "imports.failures": T("Failures", "Fehler", "Échecs"),
    "imports.states.unconfirmed": T("Unconfirmed", "Unbestätigt", "Non confirmé"),
    "imports.states.any_confirmed": T("^(Scheduled|In progress|Finished)$", "^(Geplant|In Bearbeitung|Fertig)$",
                                      "^(Programmé|En cours|Terminé)$"),
    "imports.errors.incompatible_type": T("Incompatible with the selected import type",
                                          "Inkompatibel mit dem ausgewählten Importtyp",
                                          "Incompatible avec le type d’import sélectionné"),
    "imports.errors.empty": T("Empty CSV file", "Leere CSV-Datei", "Fichier CSV vide"),
    "hints.imports.data": T("CSV file exported from another Mastodon server",
                            "CSV-Datei, die von einem Mastodon-Server exportiert worden ist",
                            "Un fichier CSV généré par un autre serveur de Mastodon"),
    "labels.data": T("Data", "Daten", "Données"),
    # aliases
    "aliases.add_new": T("Create alias", "Alias erstellen", "Créer un alias"),
    "aliases.remove": T("Unlink alias", "Alle Aliasse aufheben", "Détacher l'alias"),
    "aliases.empty": T("You have no aliases.", "Du hast keine Aliasse.", "Vous n’avez pas d’alias."),
    "aliases.created_msg": T(
        "Successfully created a new alias. You can now initiate the move from the old account.",
        "Neuer Alias erfolgreich erstellt. Du kannst nun den Umzug vom alten zum neuen Konto starten.",
        "Un nouvel alias a été créé avec succès. Vous pouvez maintenant déménager depuis l'ancien compte."),
    "aliases.deleted_msg": T(
        "Successfully removed the alias. Moving from that account to this one will no longer be possible.",
        "Der Alias wurde erfolgreich entfernt. Aus jenem Konto zu diesem zu verschieben, ist nicht mehr möglich.",
        "Alias supprimé avec succès. Le déménagement de ce compte vers celui-ci ne sera plus possible."),
    "aliases.hint_html": T(
        "If you want to move from another account to this one, here you can create an alias, which is required before you can proceed with moving followers from the old account to this one. This action by itself is <strong>harmless and reversible</strong>. <strong>The account migration is initiated from the old account</strong>.",
        "Wenn du von einem anderen Konto auf dieses umziehen möchtest, dann kannst du hier einen Alias erstellen, der erforderlich ist, um deine Follower vom alten Konto auf dieses zu migrieren. Diese Aktion ist <strong>harmlos und widerruflich</strong>. <strong>Der Kontoumzug wird vom alten Konto aus eingeleitet</strong>.",
        "Si vous voulez déménager d’un autre compte vers celui-ci, vous pouvez créer ici un alias, qui est nécessaire avant de pouvoir migrer les abonné·e·s de l’ancien compte vers celui-ci. Cette action en soi est <strong>inoffensive et réversible</strong>. <strong>La migration du compte est initiée à partir de l’ancien compte</strong>."),
    "labels.account_alias.acct": T("Handle of the old account", "Profilname des alten Kontos",
                                   "Identifiant de l’ancien compte"),
    "hints.account_alias.acct": T("Specify the username@domain of the account you want to move from",
                                  "Gib profilname@domain des Kontos an, von dem du umziehen möchtest",
                                  "Spécifiez l’identifiant@domaine du compte à partir duquel vous souhaitez migrer"),
    # migrations
    "migrations.not_redirecting": T("Your account is not redirecting to any other account currently.",
                                    "Dein Konto wird derzeit nicht auf ein anderes Konto weitergeleitet.",
                                    "Votre compte n'est pas redirigé vers un autre compte actuellement."),
    "migrations.redirecting_to": T("Your account is redirecting to %{acct}.",
                                   "Dein Konto wird zu %{acct} weitergeleitet.",
                                   "Votre compte est redirigé vers %{acct}."),
    "migrations.cancel_explanation": T(
        "Cancelling the redirect will re-activate your current account, but will not bring back followers that have been moved to that account.",
        "Das Abbrechen der Weiterleitung wird dein aktuelles Konto erneut aktivieren, aber keine Follower zurückholen, die auf dieses Konto verschoben wurden.",
        "Annuler la redirection réactivera votre compte actuel, mais ne rapportera pas les abonné·e·s qui ont été déplacé·e·s sur ce compte."),
    "migrations.cancel": T("Cancel redirect", "Weiterleitung beenden", "Annuler la redirection"),
    "migrations.cancelled_msg": T("Successfully cancelled the redirect.", "Die Weiterleitung wurde erfolgreich beendet.",
                                  "Suppression de la redirection réussie."),
    "migrations.proceed_with_move": T("Move followers", "Follower übertragen", "Migrer les abonné·e·s"),
    "migrations.set_redirect": T("Set redirect", "Weiterleitung einrichten", "Définir la redirection"),
    "migrations.moved_msg": T("Your account is now redirecting to %{acct} and your followers are being moved over.",
                              "Dein Konto wird jetzt auf %{acct} weitergeleitet und deine Follower werden übertragen.",
                              "Votre compte est maintenant redirigé vers %{acct} et vos abonné·e·s sont en train d'être déplacé·e·s."),
    "migrations.redirected_msg": T("Your account is now redirecting to %{acct}.",
                                   "Dein Konto wird nun zu %{acct} weitergeleitet.",
                                   "Votre compte est maintenant redirigé vers %{acct}."),
    "migrations.errors.not_found": T("could not be found", "konnte nicht gefunden werden", "n'a pas été trouvé"),
    "migrations.errors.missing_also_known_as": T("is not an alias of this account", "ist kein Alias für dieses Konto",
                                                 "ne référence pas ce compte en retour"),
    "migrations.errors.already_moved": T("is the same account you have already moved to",
                                         "ist das gleiche Konto, zu dem du bereits umgezogen bist",
                                         "est le même compte que vous avez déjà déplacé vers"),
    "migrations.errors.move_to_self": T("cannot be current account", "darf nicht das aktuelles Konto sein",
                                        "ne peut pas être le compte actuel"),
    "migrations.on_cooldown": T(
        {"one": "You have recently migrated your account. This function will become available again in %{count} day.",
         "other": "You have recently migrated your account. This function will become available again in %{count} days."},
        "Du bist mit deinem Konto erst vor Kurzem umgezogen. Diese Funktion wird in %{count} Tagen wieder verfügbar sein.",
        "Vous avez récemment migré votre compte. Cette fonction sera à nouveau disponible dans %{count} jours."),
    "migrations.past_migrations": T("Past migrations", "Vorherige Umzüge", "Migrations passées"),
    "migrations.acct": T("Moved to", "umgezogen nach", "A déménagé vers"),
    "migrations.followers_count": T("Followers at time of move", "Anzahl der Follower zum Zeitpunkt des Umzugs",
                                    "Abonné·e·s au moment du déménagement"),
    "migrations.incoming_migrations": T("Moving from a different account", "Von einem anderen Konto umziehen",
                                        "Déplacement depuis un compte différent"),
    "migrations.warning.before": T("Before proceeding, please read these notes carefully:",
                                   "Bevor du fortfährst, lies bitte diese Hinweise sorgfältig durch:",
                                   "Avant de procéder, veuillez lire attentivement ces notes :"),
    "migrations.warning.followers": T("This action will move all followers from the current account to the new account",
                                      "Alle Follower werden vom alten zum neuen Konto übertragen",
                                      "Cette action va déménager tou·te·s les abonné·e·s du compte actuel vers le nouveau compte"),
    "migrations.warning.other_data": T(
        "No other data will be moved automatically",
        "Keine anderen Daten werden automatisch zum neuen Konto übertragen",
        "Aucune autre donnée ne sera déplacée automatiquement"),
    "migrations.warning.other_data@4.1": T("No other data will be moved automatically"),
    "migrations.warning.redirect": T(
        "Your current account's profile will be updated with a redirect notice and be excluded from searches",
        "Dein altes Konto wird einen Hinweis erhalten, dass du umgezogen bist. Außerdem wird das Profil von Suchanfragen ausgeschlossen",
        "Le profil de votre compte actuel sera mis à jour avec un avis de redirection et sera exclu des recherches"),
    "migrations.warning.backreference_required": T(
        "The new account must first be configured to back-reference this one",
        "Das neue Konto muss zuerst auf das alte Konto verweisen",
        "Le nouveau compte doit d'abord être configuré pour faire référence à celui-ci en définissant un alias"),
    "migrations.warning.cooldown": T(
        "After moving there is a waiting period during which you will not be able to move again",
        "Nach dem Umzug wird es eine Weile dauern, bis du erneut umziehen darfst",
        "Après le déménagement, il y a une période d’attente pendant laquelle vous ne pourrez pas redéménager"),
    "migrations.warning.disabled_account": T(
        "Your current account will not be fully usable afterwards. However, you will have access to data export as well as re-activation.",
        "Dein altes Konto ist nur noch eingeschränkt nutzbar. Du kannst jedoch deine Daten exportieren und das Konto wieder reaktivieren.",
        "Votre compte actuel ne sera pas entièrement utilisable par la suite. Cependant, vous aurez accès à l'exportation de données et à la réactivation."),
    "labels.account_migration.acct": T("Handle of the new account", "Adresse des neuen Kontos",
                                       "L’identifiant du nouveau compte"),
    "hints.account_migration.acct": T("Specify the username@domain of the account you want to move to",
                                      "Gib profilname@domain des Kontos an, zu dem du umziehen möchtest",
                                      "Spécifiez l’identifiant@domaine du compte vers lequel vous souhaitez migrer"),
    "labels.current_password": T("Current password", "Derzeitiges Passwort", "Mot de passe actuel"),
    "hints.current_password": T("For security purposes please enter the password of the current account",
                                "Gib aus Sicherheitsgründen bitte das Passwort des aktuellen Kontos ein",
                                "Par mesure de sécurité, veuillez saisir le mot de passe de ce compte"),
    # profile
    "labels.display_name": T("Display name", "Anzeigename", "Nom public"),
    "labels.note": T("Bio", "Biografie", "Présentation"),
    "labels.avatar": T("Profile picture", "Profilbild", "Image de profil"),
    "labels.avatar@4.1": T("Avatar"),
    "labels.header": T("Header picture", "Titelbild", "Image d’en-tête"),
    "labels.header@4.1": T("Header"),
    "labels.bot": T("This is an automated account", "Dieses Profil ist automatisiert", "Ceci est un robot"),
    "labels.bot@4.1": T("This is a bot account"),
    "labels.fields.name": T("Label", "Beschriftung", "Étiquette"),
    "labels.fields.value": T("Content", "Inhalt", "Contenu"),
    "labels.account.unlocked": T("Automatically accept new followers", "Neue Follower automatisch akzeptieren",
                                 "Accepter automatiquement les nouveaux abonnés"),
    # web app (app/javascript/mastodon/locales/*.json)
    "web.compose_form.placeholder": T("What's on your mind?", "Was gibts Neues?", "Qu’avez-vous en tête ?"),
    "web.compose_form.placeholder@4.1": T("What is on your mind?"),
    "web.compose_form.publish": T("Post", "Veröffentlichen", "Publier"),
    "web.compose_form.publish_loud(publish)@old": T("Publish!", "Veröffentlichen!", "Publier !"),
    "web.compose.published.body": T("Post published.", "Beitrag veröffentlicht."),
    "web.account.moved_to": T("{name} has indicated that their new account is now:",
                              "{name} hat angegeben, dass dieses das neue Konto ist:",
                              "{name} a indiqué que son nouveau compte est maintenant  :"),
    "web.account.go_to_profile": T("Go to profile", "Profil aufrufen", "Voir le profil"),
}


# The same strings as 4.4-4.7 ship them, where they differ from the text above (read from
# config/locales/*.yml and app/javascript/mastodon/locales/*.json at the tags in TAGS).
RELEASES: dict[str, dict[str, dict[str, Any]]] = {
    "auth.migrate_account": {"4.6": {"fr": "Déménager vers un autre compte"}},
    "simple_form.hints.sessions.otp": {"4.4": {"fr": "Entrez le code d’authentification à deux facteurs généré par l’application de votre téléphone ou utilisez un de vos codes de récupération\u202f:"}},
    "settings.export": {"4.4": {"fr": "Exportation"}},
    "generic.changes_saved_msg": {"4.4": {"fr": "Les modifications ont été enregistrées avec succès\u202f!"}},
    "generic.validation_errors": {
        "4.4": {"fr": {"one": "Quelque chose ne va pas\u202f! Veuillez vérifiez l’erreur ci-dessous",
                       "other": "Certaines choses ne vont pas\u202f! Veuillez vérifier les %{count} erreurs ci-dessous"}},
        "4.6": {"fr": {"one": "Quelque chose ne va pas\u202f! Veuillez vérifier l’erreur ci-dessous",
                       "other": "Certaines choses ne vont pas\u202f! Veuillez vérifier les %{count} erreurs ci-dessous"}},
    },
    "imports.preface": {"4.6": {"fr": "Vous pouvez importer certaines données que vous avez exportées d’un autre serveur, comme une liste des personnes que vous suivez ou bloquez sur votre compte."}},
    "imports.types.muting": {"4.6": {"fr": "Liste de comptes masqués"}},
    "imports.type_groups.constructive": {"4.6": {"fr": "Abonnements et marque-pages"}},
    "imports.type_groups.destructive": {"4.6": {"fr": "Comptes bloqués et masqués"}},
    # 4.4 pluralised the preambles and interpolates %{count} (app/views/settings/imports/show.html.haml)
    "imports.preambles.following_html": {
        "4.4": {"en": {"one": "You are about to <strong>follow</strong> up to <strong>%{count} account</strong> from <strong>%{filename}</strong>.",
                       "other": "You are about to <strong>follow</strong> up to <strong>%{count} accounts</strong> from <strong>%{filename}</strong>."},
                "de": {"one": "Du bist dabei, bis zu <strong>%{count} Konto</strong> aus <strong>%{filename}</strong> zu <strong>folgen</strong>.",
                       "other": "Du bist dabei, bis zu <strong>%{count} Konten</strong> aus <strong>%{filename}</strong> zu <strong>folgen</strong>."},
                "fr": {"one": "Vous allez <strong>suivre</strong> près de <strong>%{count} compte</strong> tiré de <strong>%{filename}</strong>.",
                       "other": "Vous allez <strong>suivre</strong> près de <strong>%{count} comptes</strong> tirés de <strong>%{filename}</strong>."}},
        "4.6": {"fr": {"one": "Vous allez <strong>suivre</strong> jusqu'à <strong>%{count} compte</strong> issu de <strong>%{filename}</strong>.",
                       "other": "Vous allez <strong>suivre</strong> jusqu'à <strong>%{count} comptes</strong> issus de <strong>%{filename}</strong>."}},
    },
    "imports.overwrite_preambles.following_html": {
        "4.4": {"en": {"one": "You are about to <strong>follow</strong> up to <strong>%{count} account</strong> from <strong>%{filename}</strong> and <strong>stop following anyone else</strong>.",
                       "other": "You are about to <strong>follow</strong> up to <strong>%{count} accounts</strong> from <strong>%{filename}</strong> and <strong>stop following anyone else</strong>."},
                "de": {"one": "Du bist dabei, bis zu <strong>%{count} Konto</strong> aus <strong>%{filename}</strong> zu <strong>folgen</strong> und <strong>allen anderen zu entfolgen</strong>.",
                       "other": "Du bist dabei, bis zu <strong>%{count} Konten</strong> aus <strong>%{filename}</strong> zu <strong>folgen</strong> und <strong>allen anderen zu entfolgen</strong>."},
                "fr": {"one": "Vous allez <strong>suivre</strong> jusqu’à <strong>%{count} compte</strong> depuis <strong>%{filename}</strong> et <strong>arrêter de suivre n’importe qui d’autre</strong>.",
                       "other": "Vous allez <strong>suivre</strong> jusqu’à <strong>%{count} comptes</strong> depuis <strong>%{filename}</strong> et <strong>arrêter de suivre n’importe qui d’autre</strong>."}},
        "4.6": {"fr": {"one": "Vous allez <strong>suivre</strong> jusqu’à <strong>%{count} compte</strong> issu de <strong>%{filename}</strong> et <strong>arrêter de suivre n’importe qui d’autre</strong>.",
                       "other": "Vous allez <strong>suivre</strong> jusqu’à <strong>%{count} comptes</strong> issus de <strong>%{filename}</strong> et <strong>arrêter de suivre n’importe qui d’autre</strong>."}},
    },
    "imports.mismatched_types_warning": {
        "4.4": {"de": "Möglicherweise hast du das falsche Format für diesen Import ausgewählt. Bitte überprüfe alles noch einmal."},
        "4.6": {"fr": "Il semblerait que vous avez sélectionné le mauvais type pour cet import, veuillez vérifier."},
    },
    "aliases.hint_html": {"4.4": {"de": "Wenn du von einem anderen Konto auf dieses umziehen möchtest, dann kannst du hier einen Alias erstellen, der erforderlich ist, um deine Follower vom alten Konto auf dieses zu migrieren. Diese Aktion ist <strong>harmlos und wi\xadder\xadruf\xadlich</strong>. <strong>Der Kontoumzug wird vom alten Konto aus eingeleitet</strong>."}},
    "labels.account_alias.acct": {"4.4": {"de": "Adresse des vorherigen Kontos"}},
    "migrations.cancel": {"4.4": {"de": "Nicht mehr weiterleiten"}},
    "migrations.on_cooldown": {"4.4": {"en": "You have recently migrated your account. This function will become available again in %{count} days."}},
    "migrations.warning.other_data": {
        "4.6": {"en": "No other data will be moved automatically (including your posts and the list of accounts you follow)",
                "de": "Es werden keine weiteren Daten automatisch übertragen (einschließlich deiner Beiträge und der Liste der Konten, denen du folgst)",
                "fr": "Aucune autre donnée ne sera déplacée automatiquement (y compris vos messages et la liste des comptes suivis)"},
    },
    "migrations.warning.disabled_account": {"4.4": {"de": "Dein altes Konto ist nur noch eingeschränkt verwendbar. Du kannst jedoch deine Daten exportieren und das Konto wieder reaktivieren."}},
    "labels.note": {"4.4": {"de": "Über mich"}},
    "labels.header": {"4.6": {"fr": "Photo de couverture"}},
    "labels.bot": {"4.6": {"fr": "Ceci est un compte automatisé"}},
    "web.compose_form.placeholder": {"4.4": {"fr": "Qu’avez-vous en tête\u202f?"}},
    "web.compose.published.body": {"4.4": {"fr": "Message publié."}},
    "web.account.moved_to": {"4.4": {"fr": "{name} a indiqué que son nouveau compte est maintenant\xa0:"}},
}

# Strings only newer releases have (first release that shows them).
L.update({
    "admin.skip_to_content": T("Skip to content", "Zum Inhalt wechseln", "Accéder au contenu"),
    "exports.custom_filters": T("Filters", "Filter", "Filtres"),
    "exports.json": T("JSON", "JSON", "JSON"),
    "imports.types.custom_filters": T("Filters", "Filter", "Filtres"),
    "edit_profile.redesign_title": T("There’s a new profile editing experience",
                                     "Es gibt eine brandneue Möglichkeit, das Profil zu bearbeiten",
                                     "Nouvelle expérience de modification du profil"),
    "edit_profile.redesign_body": T("Profile editing can now be accessed directly from the profile page.",
                                    "Dein Profil kannst du jetzt direkt auf deiner Profilseite bearbeiten.",
                                    "La modification du profil est maintenant accessible directement depuis la page de profil."),
    "edit_profile.redesign_button": T("Go there", "Loslegen", "Accéder"),
    "edit_profile.privacy_redesign_body": T(
        "The choice to show your follows and followers is now made directly from your profile.",
        "Die Option, deine Follower und „Folge ich“ allen anzuzeigen oder sie vor allen zu verbergen, findest du jetzt auch direkt in deinen Profileinstellungen.",
        "Le choix de montrer vos abonnements et vos abonné·e·s est maintenant fait directement depuis votre profil."),
    "auth.security": T("Security", "Sicherheit", "Sécurité"),
    "imports.errors.invalid_json_file": T("Invalid JSON file. Error: %{error}", "Ungültige JSON-Datei. Fehler: %{error}",
                                          "Fichier JSON non valide. Erreur\xa0: %{error}"),
})


def _L(key: str) -> dict[str, Any]:
    """The texts of a key; a ByVersion where a release changed them."""
    base = L[key]
    changes = RELEASES.get(key)
    if not changes:
        return base
    versions = ByVersion({VERSIONS[0]: base})
    current = dict(base)
    for first in sorted(changes, key=_release):
        current = {**current, **changes[first]}
        versions[first] = dict(current)
    return versions


def _rows() -> list[Fact]:
    F = Fact
    rows: list[Fact] = []
    add = rows.append
    # ---------------------------------------------------------------------------------------
    # Signed out: settings need a session (mastodon-ui.md 1.5)
    # ---------------------------------------------------------------------------------------
    src = f"{MD} 1.5; spec/requests/settings/exports_spec.rb, migrations_spec.rb, exports/lists_spec.rb"
    for path in ("/settings/export", "/settings/migration", "/settings/aliases", "/settings/profile",
                 "/auth/edit", "/settings/migration/redirect/new"):
        add(F(f"signed_out.get{path.replace('/', '.')}.status", "signed_out", "status", f"GET {path}", 302,
              source=src))
        add(F(f"signed_out.get{path.replace('/', '.')}.location", "signed_out", "location", f"GET {path}",
              r"/auth/sign_in", source=src))
    add(F("signed_out.import41.status", "signed_out", "status", "GET /settings/import", 302, versions=V41,
          source=f"{MD} 1.5, 4.1"))
    add(F("signed_out.import42.status", "signed_out", "status", "GET /settings/imports", 302, versions=V42PLUS,
          source=f"{MD} 1.5, 4.2"))
    add(F("signed_out.import42.location", "signed_out", "location", "GET /settings/imports", r"/auth/sign_in",
          versions=V42PLUS, source=f"{MD} 1.5, 4.2"))
    add(F("signed_out.share.location", "signed_out", "location", "GET /share", r"/auth/sign_in",
          source=f"{MD} 9 (/share requires sign-in)"))
    for name in ("follows", "lists", "mutes", "blocks", "domain_blocks", "bookmarks"):
        add(F(f"signed_out.csv.{name}.status", "signed_out", "status", f"GET /settings/exports/{name}.csv", 401,
              source=f"{MD} 1.5 (non-navigational format returns 401); spec/requests/settings/exports/*_spec.rb"))
    add(F("signed_out.sign_in.status", "signed_out", "status", "GET /auth/sign_in", 200, source=f"{MD} 1.1"))
    add(F("signed_out.sign_in.session_cookie", "signed_out", "header", "GET /auth/sign_in", r"_mastodon_session=",
          attr="set-cookie", source=f"{MD} 1.6 (config/initializers/session_store.rb)"))

    # ---------------------------------------------------------------------------------------
    # Sign-in form (mastodon-ui.md 1.2, 1.6, 2.1, 10)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 1.2; app/views/auth/sessions/new.html.haml"
    add(F("sign_in.path", "sign_in", "path", expected=r"/auth/sign_in", source=f"{MD} 1.1"))
    add(F("sign_in.title", "sign_in", "title", expected=_L("auth.login"), source=f"{MD} 2.1, 10 (have_title auth.login)"))
    add(F("sign_in.form", "sign_in", "exists", "form#new_user.simple_form.new_user", source=s))
    add(F("sign_in.form.action", "sign_in", "attr", "form#new_user", "/auth/sign_in", attr="action", source=s))
    add(F("sign_in.form.method", "sign_in", "attr", "form#new_user", "(?i)post", attr="method", match="regex", source=s))
    add(F("sign_in.form.novalidate", "sign_in", "attr", "form#new_user", True, attr="novalidate",
          source=f"{MD} 2.4 (config.browser_validations = false)"))
    add(F("sign_in.csrf_param", "sign_in", "attr", 'meta[name="csrf-param"]', "authenticity_token", attr="content",
          source=f"{MD} 1.6 (csrf_meta_tags)"))
    add(F("sign_in.csrf_token", "sign_in", "attr", 'meta[name="csrf-token"]', r".+", attr="content", match="regex",
          source=f"{MD} 1.6"))
    add(F("sign_in.form.token", "sign_in", "exists", 'form#new_user input[type="hidden"][name="authenticity_token"]',
          source=f"{MD} 1.6 (protect_from_forgery)"))
    add(F("sign_in.email.name", "sign_in", "attr", "input#user_email", "user[email]", attr="name", source=s))
    add(F("sign_in.email.type", "sign_in", "attr", "input#user_email", "email", attr="type", source=s))
    add(F("sign_in.email.autofocus", "sign_in", "attr", "input#user_email", True, attr="autofocus", source=s,
          inferred=("*/*",), note="autofocus is stated, the exact attribute rendering is not"))
    add(F("sign_in.email.label", "sign_in", "text", 'label[for="user_email"]', _L("labels.email"), match="contains",
          source=f"{s}; simple_form.labels.defaults.email"))
    add(F("sign_in.email.wrapper", "sign_in", "exists", "div.input.with_label.user_email", source=f"{MD} 2.4 (with_label)",
          inferred=("*/*",)))
    add(F("sign_in.password.name", "sign_in", "attr", "input#user_password", "user[password]", attr="name", source=s))
    add(F("sign_in.password.type", "sign_in", "attr", "input#user_password", "password", attr="type", source=s))
    add(F("sign_in.password.autocomplete", "sign_in", "attr", "input#user_password", "current-password",
          attr="autocomplete", source=f"{s} (4.x)"))
    add(F("sign_in.password.label", "sign_in", "text", 'label[for="user_password"]', _L("labels.password"),
          match="contains", source=f"{s}; simple_form.labels.defaults.password"))
    add(F("sign_in.button", "sign_in", "exists", 'form#new_user .actions button[type="submit"]', source=s))
    add(F("sign_in.button.text", "sign_in", "text", 'form#new_user .actions button[type="submit"]', _L("auth.login"),
          source=f"{s}; auth.login"))
    add(F("sign_in.h1", "sign_in", "text", "h1.title", _L("auth.sign_in.title"), versions=V42PLUS,
          source=f"{MD} 1.2, 12 (auth.sign_in.title; 'Login to' vs 'Sign in to' is an open question)",
          inferred=("*/*",)))
    add(F("sign_in.h1.41", "sign_in", "text", "h1.title", _L("auth.sign_in.title@4.1"), versions=V41, langs=("en",),
          source=f"{MD} 12 ('Sign in to' vs 'Login to'); en.yml 4.0/4.1 era", inferred=("*/*",)))
    add(F("sign_in.no_alert", "sign_in", "absent", ".flash-message.alert", source=f"{MD} 2.3"))
    s46 = f"app/views/layouts/auth.html.haml, app/views/auth/sessions/new.html.haml @{TAGS['4.6']}"
    add(F("sign_in.logo_container.46", "sign_in", "exists", "header.logo-container", versions=V46PLUS,
          source=f"{s46}: %header.logo-container"))
    add(F("sign_in.form_container.46", "sign_in", "exists", "main.form-container form#new_user", versions=V46PLUS,
          source=f"{s46}: %main.form-container"))
    add(F("sign_in.logo_h1.45", "sign_in", "exists", "div.logo-container h1", versions=UPTO45,
          source="app/views/layouts/auth.html.haml @v4.5.15 (.logo-container > %h1)"))
    add(F("sign_in.email.required.46", "sign_in", "attr", "input#user_email", True, attr="required",
          versions=V46PLUS, source=f"{s46}: f.input :email, required: true (simple_form html5 renders required)"))
    add(F("sign_in.password.required.46", "sign_in", "attr", "input#user_password", True, attr="required",
          versions=V46PLUS, source=f"{s46}: f.input :password, required: true"))
    add(F("sign_in.email.not_required.45", "sign_in", "attr", "input#user_email", None, attr="required",
          versions=UPTO45, source="app/views/auth/sessions/new.html.haml @v4.5.15 (no required: option; "
                                  "config/initializers/simple_form.rb browser_validations = false)"))

    s = f"{MD} 1.3, 10; spec/controllers/auth/sessions_controller_spec.rb; devise.failure.invalid"
    add(F("sign_in_failed.path", "sign_in_failed", "path", expected=r"/auth/sign_in", source=s))
    add(F("sign_in_failed.alert", "sign_in_failed", "text", ".flash-message.alert", _L("devise.failure.invalid(email)"),
          source=s))
    add(F("sign_in_failed.form_again", "sign_in_failed", "exists", "form#new_user", source=s))

    # ---------------------------------------------------------------------------------------
    # Two-factor step (mastodon-ui.md 1.4)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 1.4; app/views/auth/sessions/two_factor/_otp_authentication_form.html.haml"
    add(F("two_factor.path", "two_factor", "path", expected=r"/auth/sign_in", source=f"{MD} 1.4 (rendered, not redirected)"))
    add(F("two_factor.form", "two_factor", "exists", "form#otp-authentication-form", source=s))
    add(F("two_factor.form.action", "two_factor", "attr", "form#otp-authentication-form", "/auth/sign_in",
          attr="action", source=s))
    add(F("two_factor.form.method", "two_factor", "attr", "form#otp-authentication-form", "(?i)post", attr="method",
          match="regex", source=s))
    add(F("two_factor.hint", "two_factor", "text", "p.hint.authentication-hint", _L("simple_form.hints.sessions.otp"),
          source=f"{s}; simple_form.hints.sessions.otp"))
    add(F("two_factor.field.name", "two_factor", "attr", "input#user_otp_attempt", "user[otp_attempt]", attr="name",
          source=s))
    add(F("two_factor.field.autocomplete", "two_factor", "attr", "input#user_otp_attempt", "^(one-time-code|off)$",
          attr="autocomplete", match="regex", source=s))
    add(F("two_factor.field.label", "two_factor", "text", 'label[for="user_otp_attempt"]', _L("labels.otp_attempt"),
          match="contains", source=f"{s}; simple_form.labels.defaults.otp_attempt"))
    add(F("two_factor.no_email", "two_factor", "absent", 'form#otp-authentication-form input[name="user[email]"]',
          source=f"{MD} 1.4 (email and password are not resubmitted)"))
    add(F("two_factor.no_password", "two_factor", "absent",
          'form#otp-authentication-form input[name="user[password]"]', source=f"{MD} 1.4"))
    add(F("two_factor.token", "two_factor", "exists",
          'form#otp-authentication-form input[type="hidden"][name="authenticity_token"]', source=f"{MD} 1.6"))
    add(F("two_factor.button", "two_factor", "text", 'form#otp-authentication-form button[type="submit"]',
          _L("auth.login"), source=s))
    s = f"{MD} 1.4, 10; users.invalid_otp_token"
    add(F("two_factor_failed.alert", "two_factor_failed", "text", ".flash-message.alert", _L("users.invalid_otp_token"),
          source=s))
    add(F("two_factor_failed.form_again", "two_factor_failed", "exists", "form#otp-authentication-form", source=s))
    add(F("two_factor_failed.path", "two_factor_failed", "path", expected=r"/auth/sign_in", source=s))
    add(F("signed_in.path", "signed_in", "path", expected=r"/(web/.*|home|deck/.*)?", source=f"{MD} 1.4 (redirect to /)",
          inferred=("*/*",)))
    add(F("signed_in.app_holder", "signed_in", "exists", "div.app-holder", source=f"{MD} 1.4, 10 (log_in_spec)"))
    add(F("signed_in.session_cookie", "signed_in", "cookie", "_mastodon_session", source=f"{MD} 1.6"))
    add(F("signed_in.session_id_cookie", "signed_in", "cookie", "_session_id", source=f"{MD} 1.6"))

    # ---------------------------------------------------------------------------------------
    # Compose (mastodon-ui.md 9, 10)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 9; app/javascript/mastodon/features/compose/components/compose_form.jsx"
    add(F("compose.form", "compose", "exists", "form.compose-form", source=s))
    add(F("compose.textarea", "compose", "exists", "div.autosuggest-textarea textarea.autosuggest-textarea__textarea",
          source=s))
    add(F("compose.textarea.aria", "compose", "attr", "textarea.autosuggest-textarea__textarea",
          _L("web.compose_form.placeholder"), attr="aria-label", versions=V42PLUS,
          source=f"{s}; en.json compose_form.placeholder", inferred=("4.2/de", "4.2/fr", "4.3/fr")))
    add(F("compose.textarea.placeholder", "compose", "attr", "textarea.autosuggest-textarea__textarea",
          _L("web.compose_form.placeholder"), attr="placeholder", versions=V42PLUS,
          source=f"{s}; en.json compose_form.placeholder", inferred=("4.2/de", "4.2/fr", "4.3/fr")))
    add(F("compose.textarea.aria.41", "compose", "attr", "textarea.autosuggest-textarea__textarea",
          T("What is on your mind?", "Was gibts Neues?", "Qu’avez-vous en tête ?"), attr="aria-label", versions=V41,
          source=f"{MD} 9 (older default 'What is on your mind?')", inferred=("4.1/en", "4.1/de")))
    add(F("compose.submit.43", "compose", "exists", '.compose-form__actions .compose-form__submit button[type="submit"]',
          versions=V43PLUS, source=f"{MD} 9 (compose redesign PR #28119)"))
    add(F("compose.submit.43.text", "compose", "text", ".compose-form__submit button", _L("web.compose_form.publish"),
          versions=V43PLUS, source=f"{MD} 9, 10 (new_statuses_spec clicks 'Post')", inferred=("4.3/fr",)))
    add(F("compose.submit.old", "compose", "exists",
          ".compose-form__publish .compose-form__publish-button-wrapper button", versions=V41_42,
          source=f"{MD} 9 (4.0–4.2)"))
    add(F("compose.submit.old.text", "compose", "text", ".compose-form__publish-button-wrapper button",
          _L("web.compose_form.publish_loud(publish)@old"), versions=V41_42,
          source=f"{MD} 9 ('Publish!' for public posts; publish_loud '{{publish}}!')",
          inferred=("4.2/*", "*/de")))
    add(F("compose.submit.disabled_when_empty", "compose", "disabled",
          ".compose-form button[type='submit']", True, source=f"{MD} 9 (disabled when the text is empty)"))
    add(F("compose_typed.submit.enabled", "compose_typed", "disabled", ".compose-form button[type='submit']", False,
          source=f"{MD} 9"))
    add(F("compose_posted.toast", "compose_posted", "text", ".notification-bar-message",
          _L("web.compose.published.body"), match="contains", versions=V43PLUS,
          source=f"{MD} 9 (4.3+: toast 'Post published.'; share_entrypoint_spec)", inferred=("4.3/fr",)))
    add(F("share.container", "share", "exists", "div#mastodon-compose", source=f"{MD} 9, 10 (shares/show.html.haml)"))
    add(F("share.prefill", "share", "value", "textarea.autosuggest-textarea__textarea", r"(?s).*fidelity share text.*",
          match="regex", source=f"{MD} 9 (text/title/url joined into the compose text)"))
    add(F("share.submit.43", "share", "exists", ".compose-form__submit", versions=V43PLUS,
          source=f"{MD} 10 (share_entrypoint_spec)"))

    # ---------------------------------------------------------------------------------------
    # Settings layout and sidebar (mastodon-ui.md 2.1, 2.2), checked on /settings/export
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 2.1; app/views/layouts/admin.html.haml"
    add(F("layout.admin_wrapper", "settings_layout", "exists", ".admin-wrapper", source=s))
    add(F("layout.sidebar", "settings_layout", "exists",
          ".admin-wrapper .sidebar-wrapper .sidebar-wrapper__inner .sidebar", source=s))
    add(F("layout.content", "settings_layout", "exists", ".admin-wrapper .content-wrapper .content", source=s))
    add(F("layout.body_class", "settings_layout", "attr", "body", r"(^|.*\s)admin(\s.*|$)", attr="class",
          match="regex", source=s))
    add(F("layout.heading.41", "settings_layout", "text", ".content-heading h2", _L("settings.export@old"),
          versions=V41, langs=("en",), source=f"{MD} 2.1 (≤4.1 .content-heading)", inferred=("*/*",)))
    add(F("layout.heading.42", "settings_layout", "exists", ".content__heading .content__heading__row h2",
          versions=V42_45, source=f"{MD} 2.1, 12 (.content__heading assumed from 4.2)", inferred=("4.2/*",)))
    s46 = f"app/views/layouts/admin.html.haml @{TAGS['4.6']} (#38230)"
    add(F("layout.heading.46", "settings_layout", "text", ".content__heading .content__heading__row h1",
          _L("settings.export"), versions=V46PLUS, source=f"{s46}: %h1= yield :page_title"))
    add(F("layout.no_h2_title.46", "settings_layout", "absent", ".content__heading__row h2", versions=V46PLUS,
          source=s46))
    add(F("layout.main.46", "settings_layout", "exists", ".admin-wrapper main.content-wrapper#content .content",
          versions=V46PLUS, source=f"{s46}: %main.content-wrapper#content"))
    add(F("layout.no_main.45", "settings_layout", "absent", "main", versions=UPTO45,
          source="app/views/layouts/admin.html.haml @v4.5.15 (.content-wrapper is a div)"))
    add(F("layout.skip_link.46", "settings_layout", "attr", "a.navigation-skip-link", "#content", attr="href",
          versions=V46PLUS, source=s46))
    add(F("layout.skip_link.46.text", "settings_layout", "text", "a.navigation-skip-link",
          _L("admin.skip_to_content"), versions=V46PLUS, source=f"{s46}; admin.skip_to_content"))
    add(F("layout.sidebar_nav.46", "settings_layout", "exists", "header.sidebar-wrapper .sidebar nav > ul li#data",
          versions=V46PLUS, source=f"{s46}: %header.sidebar-wrapper ... %nav= render_navigation"))
    add(F("layout.cache_control", "settings_layout_http", "header", "GET /settings/export", r"(?i).*no-store.*",
          attr="cache-control", match="regex",
          source=f"{MD} 2.1 (Settings::BaseController no-store; have_private_cache_control)"))
    s = f"{MD} 2.2; config/navigation.rb (li ids are simple-navigation defaults)"
    nav = [
        ("web", "/", "settings.back", VERSIONS),
        ("profile", "/settings/profile", "settings.profile", V42PLUS),
        ("privacy", "/settings/privacy", "privacy.title", V45PLUS),
        ("preferences", "/settings/preferences", "settings.preferences", VERSIONS),
        ("relationships", "/relationships", "settings.relationships", VERSIONS),
        ("filters", "/filters", "filters.index.title", VERSIONS),
        ("security", "/auth/edit", "settings.account", VERSIONS),
        ("data", "/settings/export", "settings.import_and_export", VERSIONS),
        ("logout", "/auth/sign_out", "auth.logout", VERSIONS),
    ]
    for key, href, label, versions in nav:
        src = s if "4.1" in versions or "4.2" in versions else f"config/navigation.rb @{TAGS[versions[0]]}"
        add(F(f"sidebar.{key}.href", "settings_layout", "attr", f".sidebar li#{key} > a", href, attr="href",
              versions=versions, source=src))
        add(F(f"sidebar.{key}.text", "settings_layout", "text", f".sidebar li#{key} > a", _L(label),
              versions=versions, source=f"{src}; {label}"))
    add(F("sidebar.no_privacy.44", "settings_layout", "absent", ".sidebar li#privacy", versions=UPTO45[:-1],
          source="config/navigation.rb @v4.4.22 (Privacy and reach is a tab of the profile pages)"))
    add(F("sidebar.privacy.position.45", "settings_layout", "exists", ".sidebar li#profile + li#privacy",
          versions=V45PLUS, source=f"config/navigation.rb @{TAGS['4.5']} (#27294: right after profile)"))
    add(F("sidebar.profile.href.41", "settings_layout", "attr", ".sidebar li#profile > a", "/settings/profile",
          attr="href", versions=V41, source=s))
    add(F("sidebar.profile.text.41", "settings_layout", "text", ".sidebar li#profile > a", _L("settings.profile@4.1"),
          versions=V41, langs=("en",), source=f"{s}; en.yml 4.0/4.1 era settings.profile", inferred=("*/*",)))
    add(F("sidebar.import.href.41", "settings_layout", "attr", ".sidebar li#data li#import > a", "/settings/import",
          attr="href", versions=V41, source=f"{s} (≤4.1 /settings/import)"))
    add(F("sidebar.import.href.42", "settings_layout", "attr", ".sidebar li#data li#import > a", "/settings/imports",
          attr="href", versions=V42PLUS, source=f"{s} (4.2+ /settings/imports)"))
    add(F("sidebar.import.text", "settings_layout", "text", ".sidebar li#data li#import > a", _L("settings.import"),
          source=f"{s}; settings.import"))
    add(F("sidebar.export.href", "settings_layout", "attr", ".sidebar li#data li#export > a", "/settings/export",
          attr="href", source=s))
    add(F("sidebar.export.text", "settings_layout", "text", ".sidebar li#data li#export > a", _L("settings.export"),
          versions=V43PLUS, source=f"{s}; settings.export"))
    add(F("sidebar.export.text.old", "settings_layout", "text", ".sidebar li#data li#export > a",
          _L("settings.export@old"), versions=V41_42, langs=("en",),
          source="en.yml 4.0/4.1 era settings.export 'Data export' (fr 4.2 era: 'Export de données')",
          inferred=("*/*",)))
    add(F("sidebar.export.text.old.defr", "settings_layout", "text", ".sidebar li#data li#export > a",
          _L("settings.export"), versions=V41_42, langs=("de", "fr"), source=f"{s}; settings.export",
          inferred=("*/de",)))
    # simple-navigation renders an item's sub-items only while that item is active: on /settings/export
    # the Account item is collapsed, its sub-items show on /auth/edit.
    add(F("sidebar.security.collapsed", "settings_layout", "absent", ".sidebar li#security li",
          source=f"{s} (render_navigation without expand_all)"))
    add(F("sidebar.security.password", "auth_edit", "attr", ".sidebar li#security li#password > a", "/auth/edit",
          attr="href", source=s))
    add(F("sidebar.security.password.text", "auth_edit", "text", ".sidebar li#security li#password > a",
          _L("settings.account_settings"), source=f"{s}; settings.account_settings"))
    add(F("sidebar.security.selected", "auth_edit", "exists", ".sidebar li#security.selected", source=f"{MD} 2.2, 12",
          inferred=("*/*",)))
    add(F("sidebar.logout.method", "settings_layout", "attr", ".sidebar li#logout > a", "delete", attr="data-method",
          source=f"{s}; {MD} 1.1 (sign_out_via :delete)"))
    add(F("sidebar.no_migration_link", "settings_layout", "absent", '.sidebar a[href="/settings/migration"]',
          source=f"{MD} 2.2 (the alias and migration pages are not in the sidebar)"))
    add(F("sidebar.no_aliases_link", "settings_layout", "absent", '.sidebar a[href="/settings/aliases"]',
          source=f"{MD} 2.2"))
    add(F("sidebar.icon.fa", "settings_layout", "exists", ".sidebar li#data > a i.fa", versions=V41_42,
          source=f"{MD} 2.2 (≤4.2 Font Awesome)"))
    add(F("sidebar.icon.svg", "settings_layout", "exists", ".sidebar li#data > a svg", versions=V43PLUS,
          source=f"{MD} 2.2 (4.3+ Material Symbols SVG)"))
    add(F("sidebar.selected", "settings_layout", "exists", ".sidebar li#data.selected", source=f"{MD} 2.2, 12",
          inferred=("*/*",)))

    # ---------------------------------------------------------------------------------------
    # Account settings /auth/edit (mastodon-ui.md 2.1, 2.2)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 2.2; app/views/auth/registrations/edit.html.haml"
    add(F("auth_edit.title", "auth_edit", "title", expected=_L("settings.account_settings"), source=f"{MD} 2.1"))
    add(F("auth_edit.h3.migrate", "auth_edit", "anytext", "h3", _L("auth.migrate_account"), versions=UPTO45, source=s))
    s46 = f"app/views/auth/registrations/edit.html.haml @{TAGS['4.6']}"
    add(F("auth_edit.h2.migrate.46", "auth_edit", "anytext", "h2.heading-medium", _L("auth.migrate_account"),
          versions=V46PLUS, source=f"{s46} (%h2.heading-medium)"))
    add(F("auth_edit.h2.security.46", "auth_edit", "anytext", "h2.heading-medium", _L("auth.security"),
          versions=V46PLUS, source=s46))
    add(F("auth_edit.h2.incoming.46", "auth_edit", "anytext", "h2.heading-medium",
          _L("migrations.incoming_migrations"), versions=V46PLUS, source=s46))
    add(F("auth_edit.migrate_link", "auth_edit", "exists", 'p.muted-hint a[href="/settings/migration"]', source=s))
    add(F("auth_edit.migrate_hint", "auth_edit", "anytext", "p.muted-hint", _L("auth.migrate_account_html"), source=s))
    add(F("auth_edit.h3.incoming", "auth_edit", "anytext", "h3", _L("migrations.incoming_migrations"),
          versions=UPTO45, source=s))
    add(F("auth_edit.aliases_link", "auth_edit", "exists", 'a[href="/settings/aliases"]', source=s))
    add(F("auth_edit.no_warning", "auth_edit", "absent", ".flash-message.warning",
          source=f"{MD} 6.4 (warning only while redirecting)"))

    # ---------------------------------------------------------------------------------------
    # Export page (mastodon-ui.md 3)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 3.1; app/views/settings/exports/show.html.haml"
    add(F("export.title", "export", "title", expected=_L("settings.export"), versions=V43PLUS, source=f"{MD} 2.1"))
    add(F("export.title.old", "export", "title", expected=_L("settings.export@old"), versions=V41_42, langs=("en",),
          source="en.yml 4.0/4.1 era settings.export", inferred=("*/*",)))
    add(F("export.table", "export", "exists", ".table-wrapper table.table tbody tr", source=s))
    export_rows = ("exports.storage", "accounts.posts_tab_heading", "admin.accounts.follows", "exports.lists",
            "admin.accounts.followers", "exports.mutes", "exports.blocks", "exports.domain_blocks", "exports.bookmarks")
    add(F("export.row_labels", "export", "texts", ".table-wrapper table.table tbody tr th", [_L(k) for k in export_rows],
          versions=UPTO45, source=s))
    s46 = f"app/views/settings/exports/show.html.haml @{TAGS['4.6']} (#39085)"
    add(F("export.row_labels.46", "export", "texts", ".table-wrapper table.table tbody tr th",
          [_L(k) for k in export_rows + ("exports.custom_filters",)], versions=V46PLUS, source=f"{s46}: a Filters row last"))
    add(F("export.link.custom_filters.46", "export", "exists",
          '.table-wrapper a.table-action-link[href="/settings/exports/custom_filters.json"]', versions=V46PLUS,
          source=f"{s46}: settings_exports_custom_filters_path(format: :json)"))
    add(F("export.link.custom_filters.46.text", "export", "text", 'a[href="/settings/exports/custom_filters.json"]',
          _L("exports.json"), versions=V46PLUS, source=f"{s46}; exports.json"))
    add(F("export.no_filters_link.45", "export", "absent", 'a[href*="custom_filters"]', versions=UPTO45,
          source="app/views/settings/exports/show.html.haml @v4.5.15 (no Filters row)"))
    for name in ("follows", "lists", "mutes", "blocks", "domain_blocks", "bookmarks"):
        add(F(f"export.link.{name}", "export", "exists",
              f'.table-wrapper a.table-action-link[href="/settings/exports/{name}.csv"]', source=s))
        add(F(f"export.link.{name}.text", "export", "text", f'a[href="/settings/exports/{name}.csv"]',
              _L("exports.csv"), source=f"{s}; exports.csv"))
    add(F("export.no_followers_link", "export", "absent", 'a[href="/settings/exports/followers.csv"]',
          source=f"{MD} 3.1 (followers cannot be exported)"))
    add(F("export.links.count", "export", "exists", ".table-wrapper a.table-action-link", 6, versions=UPTO45,
          source=f"{MD} 3.1 (six CSV links; custom_filters JSON is main only)"))
    add(F("export.links.count.46", "export", "exists", ".table-wrapper a.table-action-link", 7, versions=V46PLUS,
          source=f"{s46} (six CSV links and the filters JSON)"))
    add(F("export.archive.hint", "export", "anytext", "p.muted-hint", _L("exports.archive_takeout.hint_html"),
          source=f"{MD} 3.3"))
    add(F("export.archive.button", "export", "exists", 'a.button[href="/settings/export"][data-method="post"]',
          source=f"{MD} 3.3"))
    add(F("export.archive.button.text", "export", "text", 'a.button[data-method="post"][href="/settings/export"]',
          _L("exports.archive_takeout.request"), source=f"{MD} 3.3"))
    add(F("export.follows_count_matches_csv", "export", "follows_count", source=f"{MD} 3.1 (td count = following)"))
    add(F("export_archive.path", "export_archive", "path", expected=r"/settings/export", source=f"{MD} 3.3"))
    add(F("export_archive.backup_row", "export_archive", "anytext", "table td",
          T("^(Compiling your archive\\.\\.\\.|Download your archive)$",
            "^(Persönliches Archiv wird erstellt …|Archiv jetzt herunterladen)$",
            "^(Création de votre archive…|Télécharger votre archive)$"), match="regex",
          source=f"{MD} 3.3, 10 (exports_spec: 'Compiling your archive...')"))
    add(F("export_archive.no_second_button", "export_archive", "absent",
          'a.button[href="/settings/export"][data-method="post"]', source=f"{MD} 3.3 (shown only if BackupPolicy allows)"))

    s = f"{MD} 3.1, 3.2; app/models/export.rb; spec/requests/settings/exports/*_spec.rb"
    acct = r"[A-Za-z0-9_.-]+@[A-Za-z0-9.-]+"
    csvs = {
        "follows": {"header": "Account address,Show boosts,Notify on new posts,Languages",
                    "row": rf'{acct},(true|false),(true|false),(|[a-zA-Z-]+|"[a-zA-Z-]+(, [a-zA-Z-]+)+")',
                    "filename": r"(follows|following_accounts)\.csv"},
        "mutes": {"header": "Account address,Hide notifications", "row": rf"{acct},(true|false)",
                  "filename": r"(mutes|muted_accounts)\.csv"},
        "blocks": {"header": None, "row": acct, "filename": r"(blocks|blocked_accounts)\.csv"},
        "domain_blocks": {"header": None, "row": r"[a-z0-9.-]+\.[a-z0-9-]+", "filename": r"(domain_blocks|blocked_domains)\.csv"},
        "bookmarks": {"header": None, "row": r"https?://\S+", "filename": r"bookmarks\.csv"},
        "lists": {"header": None, "row": rf'("[^"]*(""[^"]*)*"|[^",]+),{acct}', "filename": r"lists\.csv"},
    }
    for name, spec in csvs.items():
        add(F(f"csv.{name}.status", "export_csv", "status", f"GET /settings/exports/{name}.csv", 200, source=s))
        add(F(f"csv.{name}.content_type", "export_csv", "header", f"GET /settings/exports/{name}.csv",
              r"text/csv.*", attr="content-type", match="regex", source=f"{MD} 3.1 (text/csv)"))
        add(F(f"csv.{name}.body", "export_csv", "csv", f"GET /settings/exports/{name}.csv", spec, source=s))
        add(F(f"csv.{name}.disposition", "export_csv", "header", f"GET /settings/exports/{name}.csv",
              rf'attachment;\s*filename="?{spec["filename"]}"?.*', attr="content-disposition", match="regex",
              source=f"{MD} 3.1 (either filename family; open question 12)"))

    s = (f"app/controllers/settings/exports/custom_filters_controller.rb, app/models/export.rb "
         f"(to_custom_filters_json), config/routes/settings.rb @{TAGS['4.6']}")
    path = "GET /settings/exports/custom_filters.json"
    add(F("json.custom_filters.status", "export_csv", "status", path, 200, versions=V46PLUS, source=s))
    add(F("json.custom_filters.content_type", "export_csv", "header", path, r"application/json.*", attr="content-type",
          match="regex", versions=V46PLUS, source=f"{s} (send_data, format json)"))
    add(F("json.custom_filters.disposition", "export_csv", "header", path,
          r'attachment;\s*filename="?custom_filters\.json"?.*', attr="content-disposition", match="regex",
          versions=V46PLUS, source=f"{s} (filename: \"#{{controller_name}}.json\")"))
    add(F("json.custom_filters.body", "export_csv", "body", path, '{"custom_filters":[{"title":', versions=V46PLUS,
          source=f"{s} (JSON.generate({{custom_filters: [{{title:, expires_at:, context:, action:, keywords_attributes:, statuses:}}]}}))"))
    add(F("json.custom_filters.keywords", "export_csv", "body", path, '"keywords_attributes":[{"keyword":',
          versions=V46PLUS, source=s))
    add(F("json.custom_filters.missing", "export_csv", "status", path, 404, versions=UPTO45,
          source="config/routes/settings.rb @v4.5.15 (no custom_filters export route)"))

    # ---------------------------------------------------------------------------------------
    # Import ≤4.1 (mastodon-ui.md 4.1)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 4.1; app/views/settings/imports/show.html.haml (old)"
    add(F("import41.title", "import41", "title", expected=_L("settings.import"), versions=V41, source=f"{MD} 2.1"))
    add(F("import41.form.action", "import41", "attr", 'form:has(select[name="import[type]"])', "/settings/import",
          attr="action", versions=V41, source=s))
    add(F("import41.form.enctype", "import41", "attr", 'form:has(select[name="import[type]"])', "multipart/form-data",
          attr="enctype", versions=V41, source=s))
    add(F("import41.type.values", "import41", "values", 'select[name="import[type]"] option',
          ["following", "blocking", "muting", "domain_blocking", "bookmarks"], versions=V41, source=s))
    add(F("import41.type.labels", "import41", "texts", 'select[name="import[type]"] option',
          [_L(f"imports.types.{k}") for k in ("following", "blocking", "muting", "domain_blocking", "bookmarks")],
          versions=V41, source=f"{s}; imports.types.*"))
    add(F("import41.data", "import41", "exists", 'input[type="file"][name="import[data]"]', versions=V41, source=s))
    add(F("import41.data.hint", "import41", "anytext", "span.hint", _L("hints.imports.data"), versions=V41,
          source=f"{s}; simple_form.hints.imports.data"))
    add(F("import41.type.hint", "import41", "anytext", "span.hint", _L("imports.preface"), versions=V41,
          source=f"{s}; imports.preface"))
    add(F("import41.mode.values", "import41", "values", 'input[type="radio"][name="import[mode]"]',
          ["merge", "overwrite"], versions=V41, source=s))
    add(F("import41.button", "import41", "text", 'form:has(select[name="import[type]"]) button[type="submit"]',
          _L("imports.upload"), versions=V41, source=f"{s}; imports.upload"))
    add(F("import41_done.path", "import41_done", "path", expected=r"/settings/import", versions=V41, source=s))
    add(F("import41_done.notice", "import41_done", "text", ".flash-message.notice", _L("imports.success"),
          versions=V41, source=f"{s}; imports.success"))
    add(F("import41_done.no_confirm", "import41_done", "absent", 'a[href$="/confirm"]', versions=V41,
          source=f"{MD} 4.1 (no confirmation step)"))

    # ---------------------------------------------------------------------------------------
    # Import 4.2+ (mastodon-ui.md 4.2, 4.4)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 4.2; app/views/settings/imports/index.html.haml; app/models/form/import.rb"
    v = V42PLUS
    add(F("import.title", "import", "title", expected=_L("settings.import"), versions=v, source=f"{MD} 2.1"))
    add(F("import.form", "import", "exists", "form#new_form_import", versions=v, source=s))
    add(F("import.form.action", "import", "attr", "form#new_form_import", "/settings/imports", attr="action",
          versions=v, source=s))
    add(F("import.form.enctype", "import", "attr", "form#new_form_import", "multipart/form-data", attr="enctype",
          versions=v, source=s))
    add(F("import.form.novalidate", "import", "attr", "form#new_form_import", True, attr="novalidate", versions=v,
          source=f"{MD} 2.4"))
    add(F("import.type.name", "import", "attr", "select#form_import_type", "form_import[type]", attr="name",
          versions=v, source=s))
    add(F("import.type.groups", "import", "values", "select#form_import_type optgroup",
          [_L("imports.type_groups.constructive"), _L("imports.type_groups.destructive")], attr="label", versions=v,
          source=f"{s}; imports.type_groups.*"))
    types = ("following", "bookmarks", "lists", "muting", "blocking", "domain_blocking")
    add(F("import.type.values", "import", "values", "select#form_import_type option", list(types), versions=V42_45,
          source=s))
    add(F("import.type.labels", "import", "texts", "select#form_import_type option",
          [_L(f"imports.types.{k}") for k in types], versions=V42_45, source=f"{s}; imports.types.*"))
    s46 = f"app/views/settings/imports/index.html.haml @{TAGS['4.6']} (#39256)"
    add(F("import.type.values.46", "import", "values", "select#form_import_type option",
          [*types, "custom_filters"], versions=V46PLUS, source=f"{s46}: destructive group ends with custom_filters"))
    add(F("import.type.labels.46", "import", "texts", "select#form_import_type option",
          [_L(f"imports.types.{k}") for k in (*types, "custom_filters")], versions=V46PLUS,
          source=f"{s46}; imports.types.*"))
    add(F("import.type.no_blank", "import", "absent", 'select#form_import_type option[value=""]', versions=v,
          source=f"{MD} 4.2 (no blank option)"))
    add(F("import.type.default", "import", "value", "select#form_import_type", "following", versions=v,
          source=f"{MD} 4.2 (default is the first option)"))
    add(F("import.type.label", "import", "text", 'label[for="form_import_type"]', T("Import type"), match="contains",
          versions=v, langs=("en",), source=f"{s} (f.input :type → simple_form.labels.defaults.type)"))
    add(F("import.type.hint", "import", "anytext", "span.hint", _L("imports.preface"), versions=v,
          source=f"{s}; imports.preface"))
    add(F("import.type.wrapper", "import", "exists", ".field-group select#form_import_type", versions=V42_45,
          source=f"{MD} 4.2 ('field-group' (sic)); app/views/settings/imports/index.html.haml"))
    add(F("import.type.wrapper.46", "import", "exists", "form#new_form_import > .fields-group select#form_import_type",
          versions=V46PLUS, source=f"{s46} (.fields-group)"))
    add(F("import.no_field_group.46", "import", "absent", ".field-group", versions=V46PLUS, source=s46))
    add(F("import.data.column", "import", "exists", ".fields-row .fields-group.fields-row__column input#form_import_data",
          versions=v, source="app/views/settings/imports/index.html.haml"))
    add(F("import.data.name", "import", "attr", "input#form_import_data", "form_import[data]", attr="name",
          versions=v, source=s))
    add(F("import.data.type", "import", "attr", "input#form_import_data", "file", attr="type", versions=v, source=s))
    add(F("import.data.no_accept", "import", "attr", "input#form_import_data", None, attr="accept", versions=v,
          source=f"{MD} 4.2 (no accept attribute)"))
    add(F("import.data.label", "import", "text", 'label[for="form_import_data"]', _L("labels.data"), match="contains",
          versions=v, source=f"{s}; simple_form.labels.defaults.data"))
    add(F("import.data.hint", "import", "anytext", "span.hint", _L("hints.imports.data"), versions=v,
          source=f"{s}; simple_form.hints.imports.data"))
    add(F("import.mode.merge", "import", "attr", "input#form_import_mode_merge", "merge", attr="value", versions=v,
          source=s))
    add(F("import.mode.merge.name", "import", "attr", "input#form_import_mode_merge", "form_import[mode]", attr="name",
          versions=v, source=s))
    add(F("import.mode.merge.checked", "import", "attr", "input#form_import_mode_merge", True, attr="checked",
          versions=v, source=f"{MD} 4.2 (default is merge)"))
    add(F("import.mode.overwrite", "import", "attr", "input#form_import_mode_overwrite", "overwrite", attr="value",
          versions=v, source=s))
    add(F("import.mode.list", "import", "exists", "ul li input#form_import_mode_merge", versions=v,
          source=f"{MD} 4.2 (radio buttons inside ul > li)"))
    add(F("import.mode.merge.text", "import", "text", 'label[for="form_import_mode_merge"]', _L("imports.modes.merge"),
          match="contains", versions=v, source=f"{s}; imports.modes.merge"))
    add(F("import.mode.merge.hint", "import", "anytext", 'label[for="form_import_mode_merge"] span.hint, li:has(#form_import_mode_merge) span.hint',
          _L("imports.modes.merge_long"), versions=v, source=f"{s}; imports.modes.merge_long"))
    add(F("import.mode.overwrite.text", "import", "text", 'label[for="form_import_mode_overwrite"]',
          _L("imports.modes.overwrite"), match="contains", versions=v, source=f"{s}; imports.modes.overwrite"))
    add(F("import.mode.overwrite.hint", "import", "anytext",
          'label[for="form_import_mode_overwrite"] span.hint, li:has(#form_import_mode_overwrite) span.hint',
          _L("imports.modes.overwrite_long"), versions=v, source=f"{s}; imports.modes.overwrite_long"))
    add(F("import.button", "import", "text", 'form#new_form_import button[type="submit"]', _L("imports.upload"),
          versions=v, source=f"{s}; imports.upload"))
    add(F("import.token", "import", "exists", 'form#new_form_import input[type="hidden"][name="authenticity_token"]',
          versions=v, source=f"{MD} 1.6"))

    s = f"{MD} 4.2 (confirmation page); app/views/settings/imports/show.html.haml"
    add(F("import_confirm.path", "import_confirm", "path", expected=r"/settings/imports/\d+", versions=v,
          source=f"{MD} 4.2 (302 to /settings/imports/:id)"))
    add(F("import_confirm.title", "import_confirm", "title", expected=_L("imports.titles.following"), versions=v,
          source=f"{s}; imports.titles.following"))
    add(F("import_confirm.preamble", "import_confirm", "anytext", "p.hint", _L("imports.preambles.following_html"),
          versions=v, source=f"{s}; imports.preambles.following_html"))
    add(F("import_confirm.no_warning", "import_confirm", "absent", ".flash-message.warning", versions=v, source=s))
    add(F("import_confirm.cancel", "import_confirm", "exists",
          '.simple_form .actions a.button.button-tertiary[data-method="delete"][href="/settings/imports/$import_id"]',
          versions=V42_45, source=s))
    add(F("import_confirm.cancel.text", "import_confirm", "text", 'a.button-tertiary[data-method="delete"]',
          _L("generic.cancel"), versions=V42_45, source=f"{s}; generic.cancel"))
    s46 = f"app/views/settings/imports/show.html.haml @{TAGS['4.6']}"
    add(F("import_confirm.cancel.46", "import_confirm", "exists",
          '.simple_form .actions a.button.button-secondary[data-method="delete"][href="/settings/imports/$import_id"]',
          versions=V46PLUS, source=f"{s46} (button-secondary)"))
    add(F("import_confirm.cancel.46.text", "import_confirm", "text", 'a.button-secondary[data-method="delete"]',
          _L("generic.cancel"), versions=V46PLUS, source=f"{s46}; generic.cancel"))
    add(F("import_confirm.confirm", "import_confirm", "exists",
          '.simple_form .actions a.button[data-method="post"][href="/settings/imports/$import_id/confirm"]',
          versions=v, source=s))
    add(F("import_confirm.confirm.text", "import_confirm", "text",
          'a.button[data-method="post"][href$="/confirm"]', _L("generic.confirm"), versions=v,
          source=f"{s}; generic.confirm"))
    add(F("import_confirmed.path", "import_confirmed", "path", expected=r"/settings/imports", versions=v,
          source=f"{MD} 4.2 (confirm redirects to /settings/imports)"))
    add(F("import_confirmed.notice", "import_confirmed", "text", ".flash-message.notice", _L("imports.success"),
          versions=v, source=f"{MD} 4.2; imports.success"))
    add(F("import_confirmed.h3", "import_confirmed", "anytext", "h3", _L("imports.recent_imports"), versions=v,
          source=f"{MD} 4.2 (recent imports)"))
    add(F("import_confirmed.h3.46", "import_confirmed", "anytext", "h3.heading-medium", _L("imports.recent_imports"),
          versions=V46PLUS, source=f"app/views/settings/imports/index.html.haml @{TAGS['4.6']} (%h3.heading-medium)"))
    add(F("import_confirmed.headers", "import_confirmed", "textset", "table.table thead th",
          [_L(k) for k in ("imports.type", "imports.status", "imports.imported", "imports.time_started",
                           "imports.failures")], versions=v, source=f"{MD} 4.2 (columns)"))
    add(F("import_confirmed.row", "import_confirmed", "exists", "tr#bulk_import_$import_id", versions=v,
          source=f"{MD} 4.2 (tr#bulk_import_<id>)"))
    add(F("import_confirmed.row.type", "import_confirmed", "text", "tr#bulk_import_$import_id td:nth-child(1)",
          _L("imports.types.following"), versions=v, source=f"{MD} 4.2"))
    add(F("import_confirmed.row.state", "import_confirmed", "text", "tr#bulk_import_$import_id td:nth-child(2)",
          _L("imports.states.any_confirmed"), match="regex", versions=v, source=f"{MD} 4.2 (imports.states.*)"))
    add(F("import_confirmed.row.progress", "import_confirmed", "text", "tr#bulk_import_$import_id td:nth-child(3)",
          r"\d+ / $total_items", match="regex", versions=v, source=f"{MD} 4.2 ('12 / 15')"))
    add(F("import_confirmed.row.time", "import_confirmed", "exists", "tr#bulk_import_$import_id time", versions=v,
          source=f"{MD} 4.2 (time.formatted); app/views/settings/imports/index.html.haml"))

    s = f"{MD} 4.2 (mismatched_types_warning; the guess uses headers and the filename prefix)"
    add(F("import_mismatch.warning", "import_mismatch", "text", ".flash-message.warning",
          _L("imports.mismatched_types_warning"), versions=v, source=s))
    add(F("import_mismatch.path", "import_mismatch", "path", expected=r"/settings/imports/\d+", versions=v, source=s))
    add(F("import_overwrite.preamble", "import_overwrite", "anytext", "p.hint",
          _L("imports.overwrite_preambles.following_html"), versions=v,
          source=f"{MD} 4.2; imports.overwrite_preambles.following_html"))
    add(F("import_unconfirmed.row.link", "import_unconfirmed", "exists",
          'tr#bulk_import_$import_id a[href="/settings/imports/$import_id"]', versions=v,
          source=f"{MD} 4.2 ('Unconfirmed' links back to the confirmation page)"))
    add(F("import_unconfirmed.row.text", "import_unconfirmed", "text",
          'tr#bulk_import_$import_id a[href="/settings/imports/$import_id"]', _L("imports.states.unconfirmed"),
          versions=v, source=f"{MD} 4.2; imports.states.unconfirmed"))
    add(F("import_cancelled.path", "import_cancelled", "path", expected=r"/settings/imports", versions=v,
          source=f"{MD} 4.2 (DELETE redirects to /settings/imports)"))
    add(F("import_cancelled.confirm_page_gone", "import_cancelled_http", "status", "GET /settings/imports/$import_id",
          404, versions=v, source=f"{MD} 4.2 (show only while unconfirmed, otherwise 404)"))
    s = f"{MD} 4.4, 2.4 (errors on form_import[data] as span.error)"
    add(F("import_incompatible.error", "import_incompatible", "text", ".form_import_data span.error",
          _L("imports.errors.incompatible_type"), versions=v, source=f"{s}; imports.errors.incompatible_type"))
    add(F("import_incompatible.wrapper", "import_incompatible", "exists", ".form_import_data.field_with_errors",
          versions=v, source=f"{MD} 2.4"))
    add(F("import_incompatible.no_summary", "import_incompatible", "absent", ".flash-message.alert", versions=v,
          source="app/views/settings/imports/index.html.haml (no shared/error_messages on the import form)"))
    add(F("import_incompatible.form_again", "import_incompatible", "exists", "form#new_form_import", versions=v,
          source=f"{MD} 4.2 (failure re-renders the index)"))
    add(F("import_empty.error", "import_empty", "text", ".form_import_data span.error",
          _L("imports.errors.empty"), versions=v, source=f"{s}; imports.errors.empty",
          inferred=("*/*",), note="an empty upload might also be rejected as blank"))

    s46 = f"app/models/form/import.rb @{TAGS['4.6']} (content_type_is_json?, validate_json_data)"
    add(F("import_csv_as_json.error", "import_csv_as_json", "text", ".form_import_data span.error",
          L["imports.errors.invalid_json_file"], match="template", versions=V46PLUS,
          source=f"{s46}: JSON::ParserError -> imports.errors.invalid_json_file"))
    add(F("import_csv_as_json.form_again", "import_csv_as_json", "exists", "form#new_form_import", versions=V46PLUS,
          source=f"{s46}; app/controllers/settings/imports_controller.rb (render :index)"))
    add(F("import_csv_as_json.path", "import_csv_as_json", "path", expected=r"/settings/imports", versions=V46PLUS,
          source=s46))

    # ---------------------------------------------------------------------------------------
    # Aliases (mastodon-ui.md 5), on the NEW account
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 5; app/views/settings/aliases/index.html.haml"
    add(F("aliases.title", "aliases", "title", expected=_L("settings.aliases"), source=f"{MD} 2.1, 10"))
    add(F("aliases.form", "aliases", "exists", "form#new_account_alias", source=s))
    add(F("aliases.form.action", "aliases", "attr", "form#new_account_alias", "/settings/aliases", attr="action",
          source=s))
    add(F("aliases.hint", "aliases", "anytext", "p.hint", _L("aliases.hint_html"), source=f"{s}; aliases.hint_html"))
    add(F("aliases.acct.name", "aliases", "attr", "input#account_alias_acct", "account_alias[acct]", attr="name",
          source=s))
    add(F("aliases.acct.label", "aliases", "text", 'label[for="account_alias_acct"]', _L("labels.account_alias.acct"),
          match="contains", source=f"{s}; simple_form.labels.account_alias.acct"))
    add(F("aliases.acct.hint", "aliases", "text", ".account_alias_acct span.hint", _L("hints.account_alias.acct"),
          source=f"{s}; simple_form.hints.account_alias.acct"))
    add(F("aliases.acct.wrapper", "aliases", "exists", "div.input.with_block_label.account_alias_acct",
          source=f"{MD} 2.4 (with_block_label)"))
    add(F("aliases.button", "aliases", "text", 'form#new_account_alias button[type="submit"]', _L("aliases.add_new"),
          source=f"{s}; aliases.add_new"))
    add(F("aliases.token", "aliases", "exists",
          'form#new_account_alias input[type="hidden"][name="authenticity_token"]', source=f"{MD} 1.6"))
    add(F("aliases.table", "aliases", "exists", "table.table.inline-table", source=s))
    add(F("aliases.table.header", "aliases", "anytext", "table.table.inline-table th", _L("labels.account_alias.acct"),
          source=s))
    add(F("aliases.empty", "aliases", "text", "table.table.inline-table td.muted-hint", _L("aliases.empty"),
          source=f"{s}; aliases.empty"))
    add(F("aliases_not_found.error", "aliases_not_found", "text", ".account_alias_acct span.error",
          _L("migrations.errors.not_found"), source=f"{MD} 5 (unknown account)"))
    add(F("aliases_not_found.wrapper", "aliases_not_found", "exists", ".account_alias_acct.field_with_errors",
          source=f"{MD} 2.4"))
    add(F("aliases_not_found.summary", "aliases_not_found", "text", "div.flash-message.alert",
          _L("generic.validation_errors"),
          source=f"{MD} 2.4; app/models/account_alias.rb (3.x and main alike: an unresolvable acct gets one error, "
                 "acct not_found; uri is only validated for uniqueness)"))
    add(F("aliases_not_found.summary_id.42", "aliases_not_found", "exists", "div.flash-message.alert#error_explanation",
          versions=V41_42, source="app/views/shared/_error_messages.html.haml @4.2.0 (.flash-message.alert#error_explanation)"))
    add(F("aliases_not_found.no_summary_id.44", "aliases_not_found", "absent", "#error_explanation",
          versions=since("4.4"), source="app/views/shared/_error_messages.html.haml @v4.4.22 (#27536 dropped the id "
                                        "in 4.3; the imitation keeps it on 4.3 while the agent needs it)"))
    add(F("aliases_not_found.title", "aliases_not_found", "title", expected=_L("settings.aliases"),
          source=f"{MD} 10 (invalid value: still on 'Account aliases')"))
    add(F("aliases_self.error", "aliases_self", "text", ".account_alias_acct span.error",
          _L("migrations.errors.move_to_self"), source=f"{MD} 5 (alias pointing to itself)"))
    add(F("aliases_created.path", "aliases_created", "path", expected=r"/settings/aliases", source=f"{MD} 5"))
    add(F("aliases_created.notice", "aliases_created", "text", ".flash-message.notice", _L("aliases.created_msg"),
          source=f"{MD} 5; aliases.created_msg"))
    add(F("aliases_created.row", "aliases_created", "anytext", "table.table.inline-table td", "$old_acct",
          match="contains", source=f"{MD} 5 (leading @ removed; pretty_acct)"))
    add(F("aliases_created.unlink", "aliases_created", "exists",
          'table.table.inline-table a[data-method="delete"][href^="/settings/aliases/"]', source=f"{MD} 5"))
    add(F("aliases_created.unlink.text", "aliases_created", "text",
          'table.table.inline-table a[data-method="delete"][href^="/settings/aliases/"]', _L("aliases.remove"),
          source=f"{MD} 5; aliases.remove"))
    add(F("aliases_deleted.notice", "aliases_deleted", "text", ".flash-message.notice", _L("aliases.deleted_msg"),
          source=f"{MD} 5; aliases.deleted_msg"))
    add(F("aliases_deleted.empty", "aliases_deleted", "text", "table.table.inline-table td.muted-hint",
          _L("aliases.empty"), source=f"{MD} 5"))

    # ---------------------------------------------------------------------------------------
    # Migration (mastodon-ui.md 6.1–6.4), on the OLD account
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 6.1; app/views/settings/migrations/show.html.haml"
    add(F("migration.title", "migration", "title", expected=_L("settings.migrate"), source=f"{MD} 2.1, 10"))
    add(F("migration.status", "migration", "text", "p.hint span.positive-hint", _L("migrations.not_redirecting"),
          source=f"{s}; migrations.not_redirecting"))
    add(F("migration.h3", "migration", "anytext", "h3", _L("auth.migrate_account"), source=s))
    add(F("migration.form", "migration", "exists", "form#new_account_migration", source=s))
    add(F("migration.form.action", "migration", "attr", "form#new_account_migration", "/settings/migration",
          attr="action", source=s))
    add(F("migration.form.method", "migration", "attr", "form#new_account_migration", "(?i)post", attr="method",
          match="regex", source=s))
    add(F("migration.form.novalidate", "migration", "attr", "form#new_account_migration", True, attr="novalidate",
          source=f"{MD} 2.4"))
    add(F("migration.before", "migration", "anytext", "p.hint", _L("migrations.warning.before"), source=s))
    add(F("migration.warnings", "migration", "textset", "ul.hint li.warning-hint",
          [_L(f"migrations.warning.{k}") for k in ("followers", "other_data", "redirect", "backreference_required",
                                                   "cooldown", "disabled_account")],
          versions=V42PLUS, source=f"{s}; migrations.warning.*"))
    add(F("migration.warnings.order", "migration", "texts", "ul.hint li.warning-hint",
          [_L(f"migrations.warning.{k}") for k in ("followers", "redirect", "other_data", "backreference_required",
                                                   "cooldown", "disabled_account")],
          versions=V42_45, source=f"{s} @v4.3.23, @v4.5.15 (followers, redirect, other_data, ...)"))
    s46 = f"app/views/settings/migrations/show.html.haml @{TAGS['4.6']}"
    add(F("migration.warnings.order.46", "migration", "texts", "ul.hint li.warning-hint",
          [_L(f"migrations.warning.{k}") for k in ("followers", "other_data", "redirect", "backreference_required",
                                                   "cooldown", "disabled_account")],
          versions=V46PLUS, source=f"{s46} (#20387: other_data before redirect)"))
    add(F("migration.h3.46", "migration", "anytext", "h3.heading-medium", _L("auth.migrate_account"),
          versions=V46PLUS, source=f"{s46} (%h3.heading-medium)"))
    add(F("migration.warnings.41", "migration", "textset", "ul.hint li.warning-hint",
          [_L("migrations.warning.followers"), _L("migrations.warning.other_data@4.1"), _L("migrations.warning.redirect"),
           _L("migrations.warning.backreference_required"), _L("migrations.warning.cooldown"),
           _L("migrations.warning.disabled_account")],
          versions=V41, langs=("en",), source=f"{MD} 6.1 (older other_data text)", inferred=("*/*",)))
    add(F("migration.warnings.41.defr", "migration", "textset", "ul.hint li.warning-hint",
          [_L(f"migrations.warning.{k}") for k in ("followers", "other_data", "redirect", "backreference_required",
                                                   "cooldown", "disabled_account")],
          versions=V41, langs=("de", "fr"), source=f"{s}; migrations.warning.*"))
    add(F("migration.only_redirect", "migration", "exists", 'p.hint a[href="/settings/migration/redirect/new"]',
          source=f"{s}; migrations.warning.only_redirect_html"))
    add(F("migration.acct.name", "migration", "attr", "input#account_migration_acct", "account_migration[acct]",
          attr="name", source=s))
    add(F("migration.acct.label", "migration", "text", 'label[for="account_migration_acct"]',
          _L("labels.account_migration.acct"), match="contains", source=f"{s}; simple_form.labels.account_migration.acct"))
    add(F("migration.acct.hint", "migration", "text", ".account_migration_acct span.hint",
          _L("hints.account_migration.acct"), source=f"{s}; simple_form.hints.account_migration.acct"))
    add(F("migration.password.name", "migration", "attr", "input#account_migration_current_password",
          "account_migration[current_password]", attr="name", source=s))
    add(F("migration.password.type", "migration", "attr", "input#account_migration_current_password", "password",
          attr="type", source=s))
    add(F("migration.password.label", "migration", "text", 'label[for="account_migration_current_password"]',
          _L("labels.current_password"), match="contains", source=f"{s}; simple_form.labels.defaults.current_password"))
    add(F("migration.password.hint", "migration", "text", ".account_migration_current_password span.hint",
          _L("hints.current_password"), source=f"{s}; simple_form.hints.defaults.current_password"))
    add(F("migration.password.required", "migration", "exists",
          "div.input.required.account_migration_current_password", source=f"{MD} 2.4, 6.1 (required)"))
    add(F("migration.fields_row", "migration", "exists", ".fields-row input#account_migration_acct", source=s))
    add(F("migration.button", "migration", "exists",
          'form#new_account_migration button[type="submit"].button.button--destructive', source=s))
    add(F("migration.button.text", "migration", "text", 'form#new_account_migration button[type="submit"]',
          _L("migrations.proceed_with_move"), source=f"{s}; migrations.proceed_with_move"))
    add(F("migration.enabled", "migration", "disabled", "#account_migration_acct", False,
          source=f"{MD} 6.1 (no cooldown yet)"))
    add(F("migration.incoming.h3", "migration", "anytext", "h3", _L("migrations.incoming_migrations"), source=s))
    add(F("migration.incoming.link", "migration", "exists", 'a[href="/settings/aliases"]', source=s))
    add(F("migration.token", "migration", "exists",
          'form#new_account_migration input[type="hidden"][name="authenticity_token"]', source=f"{MD} 1.6"))

    s = f"{MD} 6.2; app/models/account_migration.rb"
    add(F("migration_wrong_password.error", "migration_wrong_password", "text",
          ".account_migration_current_password span.error", _L("errors.messages.invalid"),
          source=f"{s} (Rails errors.messages.invalid)"))
    add(F("migration_wrong_password.no_acct_error", "migration_wrong_password", "absent",
          ".account_migration_acct span.error", source=f"{s} (password check runs first)"))
    add(F("migration_wrong_password.path", "migration_wrong_password", "path", expected=r"/settings/migration",
          source=f"{s} (show re-rendered at /settings/migration)"))
    add(F("migration_wrong_password.summary", "migration_wrong_password", "text",
          "div.flash-message.alert", _L("generic.validation_errors"), source=f"{MD} 2.4"))
    add(F("migration_not_alias.error", "migration_not_alias", "text", ".account_migration_acct span.error",
          _L("migrations.errors.missing_also_known_as"), source=f"{s}; migrations.errors.missing_also_known_as"))
    add(F("migration_not_alias.wrapper", "migration_not_alias", "exists", ".account_migration_acct.field_with_errors",
          source=f"{MD} 2.4"))
    add(F("migration_not_alias.still_functional", "migration_not_alias", "text", "p.hint span.positive-hint",
          _L("migrations.not_redirecting"), source=f"{MD} 10 (nothing changes)"))
    # validate_target_account adds missing_also_known_as before move_to_self (an account is not its own
    # alias), and simple_form's span.error shows the first message (error_method :first); the summary
    # counts both. mastodon-ui.md 6.2's table lists move_to_self for this case: it is the second error.
    add(F("migration_self.error", "migration_self", "text", ".account_migration_acct span.error",
          _L("migrations.errors.missing_also_known_as"),
          source=f"{s} (validate_target_account order); config/initializers/simple_form.rb (error_method :first)"))
    add(F("migration_self.summary", "migration_self", "text", "div.flash-message.alert",
          _L("generic.validation_errors"), source=f"{s} (two errors on acct); {MD} 2.4"))
    add(F("migration_not_found.error", "migration_not_found", "text", ".account_migration_acct span.error",
          _L("migrations.errors.not_found"), source=f"{s}; migrations.errors.not_found"))

    s = f"{MD} 6.1, 6.2 (success); app/controllers/settings/migrations_controller.rb"
    add(F("migration_moved.path", "migration_moved", "path", expected=r"/settings/migration", source=s))
    add(F("migration_moved.notice", "migration_moved", "text", ".flash-message.notice", _L("migrations.moved_msg"),
          source=f"{s}; migrations.moved_msg"))
    add(F("migration_moved.status", "migration_moved", "text", "span.positive-hint", _L("migrations.redirecting_to"),
          source=f"{MD} 6.1; migrations.redirecting_to"))
    add(F("migration_moved.cancel_explanation", "migration_moved", "anytext", "p.hint",
          _L("migrations.cancel_explanation"), source=f"{MD} 6.1; migrations.cancel_explanation"))
    add(F("migration_moved.cancel", "migration_moved", "exists",
          'a[data-method="delete"][href="/settings/migration/redirect"]', source=f"{MD} 6.1"))
    add(F("migration_moved.cancel.text", "migration_moved", "text",
          'a[data-method="delete"][href="/settings/migration/redirect"]', _L("migrations.cancel"),
          source=f"{MD} 6.1; migrations.cancel"))
    add(F("migration_moved.cooldown", "migration_moved", "anytext", ".warning-hint", _L("migrations.on_cooldown"),
          source=f"{MD} 6.1, 6.2 (cooldown 30 days; migrations.on_cooldown)"))
    add(F("migration_moved.acct_disabled", "migration_moved", "disabled", "#account_migration_acct", True,
          source=f"{MD} 6.1, 10 (spec checks #account_migration_acct disabled)"))
    add(F("migration_moved.password_disabled", "migration_moved", "disabled",
          "#account_migration_current_password", True, source=f"{MD} 6.1 (all inputs disabled)"))
    add(F("migration_moved.button_disabled", "migration_moved", "disabled",
          'form#new_account_migration button[type="submit"]', True, source=f"{MD} 6.1 (and the button)"))
    add(F("migration_moved.past.h3", "migration_moved", "anytext", "h3", _L("migrations.past_migrations"),
          source=f"{MD} 6.1 (past migrations)"))
    add(F("migration_moved.past.acct", "migration_moved", "anytext", "table.table.inline-table th",
          _L("migrations.acct"), source=f"{MD} 6.1; migrations.acct"))
    add(F("migration_moved.past.followers", "migration_moved", "anytext", "table.table.inline-table th",
          _L("migrations.followers_count"), source=f"{MD} 6.1; migrations.followers_count"))
    add(F("migration_cooldown.text", "migration_cooldown", "anytext", ".warning-hint", _L("migrations.on_cooldown"),
          source=f"{MD} 6.2 (remaining days rounded up)"))
    add(F("migration_cooldown_over.enabled", "migration_cooldown_over", "disabled", "#account_migration_acct", False,
          source=f"{MD} 6.2 (COOLDOWN_PERIOD = 30.days)"))
    add(F("migration_cooldown_over.no_warning", "migration_cooldown_over", "absent", "span.warning-hint",
          source=f"{MD} 6.2", inferred=("*/*",)))

    s = f"{MD} 6.4; app/views/auth/registrations/_status.html.haml; config/navigation.rb"
    add(F("moved.auth_edit.warning", "moved_auth_edit", "text", ".flash-message.warning",
          _L("auth.status.redirecting_to"), match="contains", source=f"{s}; auth.status.redirecting_to"))
    add(F("moved.auth_edit.cancel", "moved_auth_edit", "exists", '.flash-message.warning a[href="/settings/migration"]',
          source=f"{MD} 6.4 (Cancel redirect link to /settings/migration)", inferred=("*/*",)))
    for key in ("profile", "preferences", "relationships", "filters"):
        add(F(f"moved.sidebar.no_{key}", "moved_auth_edit", "absent", f".sidebar li#{key}",
              source=f"{MD} 2.2 (hidden while moved: functional? conditions)"))
    add(F("moved.sidebar.no_privacy", "moved_auth_edit", "absent", ".sidebar li#privacy", versions=V45PLUS,
          source=f"config/navigation.rb @{TAGS['4.5']} (privacy: if current_user.functional?)"))
    for key in ("security", "data", "logout", "web"):
        add(F(f"moved.sidebar.{key}", "moved_auth_edit", "exists", f".sidebar li#{key}",
              source=f"{MD} 2.2 (kept while moved)"))
    add(F("moved.sidebar.export", "moved_export", "exists", ".sidebar li#data li#export",
          source=f"{MD} 2.2 (Import and export keeps Export while moved)"))
    add(F("moved.sidebar.no_import", "moved_export", "absent", ".sidebar li#data li#import",
          source=f"{MD} 2.2, 4.4 (Import hidden while moved)"))
    add(F("moved.export.status", "moved_export", "path", expected=r"/settings/export",
          source=f"{MD} 3.1, 6.4 (export available to moved accounts)"))
    for path, expected, src in (("/settings/profile", 302, f"{MD} 6.4 (require_functional! → /auth/edit)"),
                                ("/settings/export", 200, f"{MD} 3.1, 6.4 (exports skip require_functional!)"),
                                ("/settings/aliases", 200, f"{MD} 5, 6.4"),
                                ("/settings/migration", 200, f"{MD} 6.2, 6.4"),
                                ("/settings/migration/redirect/new", 200, f"{MD} 6.4"),
                                ("/settings/exports/follows.csv", 200, f"{MD} 3.1, 6.4")):
        add(F(f"moved_http.get{path.replace('/', '.')}", "moved_http", "status", f"GET {path}", expected, source=src))
    add(F("moved_http.profile.location", "moved_http", "location", "GET /settings/profile", r"/auth/edit",
          source=f"{MD} 6.4"))
    add(F("moved_http.import41", "moved_http", "location", "GET /settings/import", r"/auth/edit", versions=V41,
          source=f"{MD} 4.4, 6.4 (import requires a functional account)"))
    add(F("moved_http.import42", "moved_http", "location", "GET /settings/imports", r"/auth/edit", versions=V42PLUS,
          source=f"{MD} 4.4, 6.4"))

    s = f"{MD} 7.4; app/javascript/mastodon/features/account_timeline/components/moved_note.tsx"
    add(F("moved_profile.banner", "moved_profile", "exists", "div.moved-account-banner", source=s))
    add(F("moved_profile.message", "moved_profile", "text", ".moved-account-banner__message",
          _L("web.account.moved_to"), match="template", source=f"{s}; account.moved_to"))
    add(F("moved_profile.button", "moved_profile", "text", ".moved-account-banner__action a.button",
          _L("web.account.go_to_profile"), source=f"{s}; account.go_to_profile"))
    add(F("moved_profile.target", "moved_profile", "exists", ".moved-account-banner__action a[href*='$new_username']",
          source=f"{s} (link to the new account)", inferred=("*/*",)))

    s = f"{MD} 6.3 (cancel); app/controllers/settings/migration/redirects_controller.rb"
    add(F("migration_cancelled.path", "migration_cancelled", "path", expected=r"/settings/migration", source=s))
    add(F("migration_cancelled.notice", "migration_cancelled", "text", ".flash-message.notice",
          _L("migrations.cancelled_msg"), source=f"{s}; migrations.cancelled_msg"))
    add(F("migration_cancelled.status", "migration_cancelled", "text", "p.hint span.positive-hint",
          _L("migrations.not_redirecting"), source=f"{MD} 6.1"))
    add(F("migration_cancelled.still_cooldown", "migration_cancelled", "disabled", "#account_migration_acct", True,
          source=f"{MD} 6.2 (the cooldown still applies after the redirect is cancelled)"))

    s = f"{MD} 6.3; app/views/settings/migration/redirects/new.html.haml"
    add(F("redirect.title", "redirect", "title", expected=_L("settings.migrate"), source=f"{MD} 2.1, 10"))
    add(F("redirect.form", "redirect", "exists", "form#new_form_redirect", source=s))
    add(F("redirect.form.action", "redirect", "attr", "form#new_form_redirect", "/settings/migration/redirect",
          attr="action", source=s))
    add(F("redirect.before", "redirect", "anytext", "p.hint", _L("migrations.warning.before"), source=s))
    add(F("redirect.warnings", "redirect", "exists", "li.warning-hint", 3, source=f"{s} (three warnings)"))
    add(F("redirect.acct.name", "redirect", "attr", "input#form_redirect_acct", "form_redirect[acct]", attr="name",
          source=s))
    add(F("redirect.acct.label", "redirect", "text", 'label[for="form_redirect_acct"]',
          _L("labels.account_migration.acct"), match="contains", source=s))
    add(F("redirect.password.name", "redirect", "attr", "input#form_redirect_current_password",
          "form_redirect[current_password]", attr="name", source=s))
    add(F("redirect.password.type", "redirect", "attr", "input#form_redirect_current_password", "password",
          attr="type", source=s))
    add(F("redirect.button", "redirect", "exists",
          'form#new_form_redirect button[type="submit"].button.button--destructive', source=s))
    add(F("redirect.button.text", "redirect", "text", 'form#new_form_redirect button[type="submit"]',
          _L("migrations.set_redirect"), source=f"{s}; migrations.set_redirect"))
    add(F("redirect_empty.form_again", "redirect_empty", "exists", "form#new_form_redirect",
          source=f"{MD} 10 (empty form changes nothing)"))
    add(F("redirect_empty.summary", "redirect_empty", "text", "div.flash-message.alert",
          _L("generic.validation_errors"), source=f"{MD} 2.4"))
    s2 = "app/models/form/redirect.rb (valid_with_challenge?: the password check runs first)"
    add(F("redirect_empty.password_error", "redirect_empty", "text", ".form_redirect_current_password span.error",
          _L("errors.messages.invalid"), source=s2))
    add(F("redirect_empty.no_acct_error", "redirect_empty", "absent", ".form_redirect_acct span.error", source=s2))
    s2 = "app/models/form/redirect.rb (validate_target_account; no alias requirement)"
    add(F("redirect_self.error", "redirect_self", "text", ".form_redirect_acct span.error",
          _L("migrations.errors.move_to_self"), source=f"{MD} 6.3; {s2}"))
    add(F("redirect_not_found.error", "redirect_not_found", "text", ".form_redirect_acct span.error",
          _L("migrations.errors.not_found"), source=f"{MD} 6.3; {s2}"))
    add(F("redirect_already.error", "redirect_already", "text", ".form_redirect_acct span.error",
          _L("migrations.errors.already_moved"), source=f"{MD} 6.3; {s2}"))
    add(F("redirect_set.path", "redirect_set", "path", expected=r"/settings/migration", source=s))
    add(F("redirect_set.notice", "redirect_set", "text", ".flash-message.notice", _L("migrations.redirected_msg"),
          source=f"{s}; migrations.redirected_msg"))
    add(F("redirect_set.status", "redirect_set", "text", "span.positive-hint", _L("migrations.redirecting_to"),
          source=f"{MD} 6.1"))
    add(F("redirect_cancelled.notice", "redirect_cancelled", "text", ".flash-message.notice",
          _L("migrations.cancelled_msg"), source=f"{MD} 6.3, 10"))

    # ---------------------------------------------------------------------------------------
    # Profile (mastodon-ui.md 8)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 8; app/views/settings/profiles/show.html.haml"
    add(F("profile.title", "profile", "title", expected=_L("settings.edit_profile"), versions=UPTO45, source=f"{MD} 2.1"))
    add(F("profile.form", "profile", "exists", "form#edit_profile", versions=V42_45, source=f"{s} (4.2+ id edit_profile)"))
    add(F("profile.form.41", "profile", "attr", "form:has(#account_display_name)", r"edit_account_\d+", attr="id",
          match="regex", versions=V41, source=f"{s} (older: Rails default edit_account_<id>)"))
    add(F("profile.form.action", "profile", "attr", "form:has(#account_display_name)", "/settings/profile",
          attr="action", versions=UPTO45, source=s))
    add(F("profile.form.method", "profile", "attr", 'form:has(#account_display_name) input[name="_method"]', "put",
          attr="value", versions=UPTO45, source=f"{MD} 8 (PUT via hidden _method)"))
    add(F("profile.form.enctype", "profile", "attr", "form:has(#account_display_name)", "multipart/form-data",
          attr="enctype", versions=UPTO45, source=s))
    add(F("profile.display_name.name", "profile", "attr", "input#account_display_name", "account[display_name]",
          attr="name", versions=UPTO45, source=s))
    add(F("profile.display_name.maxlength", "profile", "attr", "input#account_display_name", "30", attr="maxlength",
          versions=UPTO45, source=s))
    add(F("profile.display_name.label", "profile", "text", 'label[for="account_display_name"]',
          _L("labels.display_name"), match="contains", versions=UPTO45, source=f"{s}; simple_form.labels.defaults.display_name"))
    add(F("profile.note.tag", "profile", "exists", "textarea#account_note", versions=UPTO45, source=s))
    add(F("profile.note.name", "profile", "attr", "textarea#account_note", "account[note]", attr="name", versions=UPTO45, source=s))
    add(F("profile.note.maxlength", "profile", "attr", "textarea#account_note", "500", attr="maxlength", versions=UPTO45, source=s))
    add(F("profile.note.label", "profile", "text", 'label[for="account_note"]', _L("labels.note"), match="contains",
          versions=UPTO45, source=f"{s}; simple_form.labels.defaults.note"))
    for n in range(4):
        for part in ("name", "value"):
            add(F(f"profile.fields.{n}.{part}", "profile", "attr", f"input#account_fields_attributes_{n}_{part}",
                  f"account[fields_attributes][{n}][{part}]", attr="name", versions=UPTO45, source=f"{s} (4 rows)"))
        add(F(f"profile.fields.{n}.maxlength", "profile", "attr", f"input#account_fields_attributes_{n}_name", "255",
              attr="maxlength", versions=UPTO45, source=s))
    add(F("profile.fields.name.placeholder", "profile", "attr", "input#account_fields_attributes_0_name",
          _L("labels.fields.name"), attr="placeholder", versions=UPTO45, source=f"{s}; simple_form.labels.account.fields.name"))
    add(F("profile.fields.value.placeholder", "profile", "attr", "input#account_fields_attributes_0_value",
          _L("labels.fields.value"), attr="placeholder", versions=UPTO45, source=f"{s}; simple_form.labels.account.fields.value"))
    add(F("profile.avatar.type", "profile", "attr", "input#account_avatar", "file", attr="type", versions=UPTO45, source=s))
    add(F("profile.avatar.name", "profile", "attr", "input#account_avatar", "account[avatar]", attr="name", versions=UPTO45, source=s))
    add(F("profile.avatar.accept", "profile", "attr", "input#account_avatar", r".*image/png.*", attr="accept",
          match="regex", versions=UPTO45, source=f"{MD} 8 (accept image/jpeg,png,gif,webp)"))
    add(F("profile.header.type", "profile", "attr", "input#account_header", "file", attr="type", versions=UPTO45, source=s))
    add(F("profile.header.name", "profile", "attr", "input#account_header", "account[header]", attr="name", versions=UPTO45, source=s))
    add(F("profile.bot.type", "profile", "attr", "input#account_bot", "checkbox", attr="type", versions=UPTO45, source=s))
    add(F("profile.bot.name", "profile", "attr", "input#account_bot", "account[bot]", attr="name", versions=UPTO45, source=s))
    add(F("profile.avatar.label", "profile", "text", 'label[for="account_avatar"]', _L("labels.avatar"),
          match="contains", versions=V42_45, source=f"{s}; simple_form.labels.defaults.avatar"))
    add(F("profile.avatar.label.41", "profile", "text", 'label[for="account_avatar"]', _L("labels.avatar@4.1"),
          match="contains", versions=V41, langs=("en",), source=f"{MD} 8 (older 'Avatar')", inferred=("*/*",)))
    add(F("profile.header.label", "profile", "text", 'label[for="account_header"]', _L("labels.header"),
          match="contains", versions=V42_45, source=f"{s}; simple_form.labels.defaults.header"))
    add(F("profile.header.label.41", "profile", "text", 'label[for="account_header"]', _L("labels.header@4.1"),
          match="contains", versions=V41, langs=("en",), source=f"{MD} 8 (older 'Header')", inferred=("*/*",)))
    add(F("profile.bot.label", "profile", "text", 'label[for="account_bot"]', _L("labels.bot"), match="contains",
          versions=V42_45, source=f"{s}; simple_form.labels.defaults.bot"))
    add(F("profile.bot.label.41", "profile", "text", 'label[for="account_bot"]', _L("labels.bot@4.1"),
          match="contains", versions=V41, langs=("en",), source="simple_form.en.yml 4.0/4.1 era", inferred=("*/*",)))
    add(F("profile.locked.41", "profile", "exists", 'input[name="account[locked]"][type="checkbox"]',
          versions=V41, source=f"{MD} 8 (≤4.1 account[locked] on the profile page)"))
    add(F("profile.discoverable.41", "profile", "exists", 'input[name="account[discoverable]"]', versions=V41,
          source=f"{MD} 8 (≤4.1)"))
    add(F("profile.no_locked.42", "profile", "absent", 'input[name="account[locked]"]', versions=V42_45,
          source=f"{MD} 8 (4.2+ moved to /settings/privacy)"))
    add(F("profile.button", "profile", "text", 'form:has(#account_display_name) button[type="submit"]',
          _L("generic.save_changes"), versions=UPTO45, source=f"{MD} 10 (profiles_spec clicks 'Save changes')"))
    add(F("profile.token", "profile", "exists",
          'form:has(#account_display_name) input[type="hidden"][name="authenticity_token"]', versions=UPTO45, source=f"{MD} 1.6"))
    add(F("profile_saved.path", "profile_saved", "path", expected=r"/settings/profile", versions=UPTO45, source=f"{MD} 8"))
    add(F("profile_saved.notice", "profile_saved", "text", ".flash-message.notice", _L("generic.changes_saved_msg"),
          versions=UPTO45, source=f"{MD} 8; generic.changes_saved_msg"))
    add(F("profile_saved.value", "profile_saved", "value", "input#account_display_name", "$display_name",
          versions=UPTO45, source=f"{MD} 8"))
    s46 = f"app/views/settings/profiles/show.html.haml, settings/shared/_profile_new_notice.html.haml @{TAGS['4.6']} (#38584)"
    add(F("profile.46.no_form", "profile", "absent", "#account_display_name", versions=V46PLUS,
          source=f"{s46}: the page renders only the callout"))
    add(F("profile.46.no_note", "profile", "absent", 'textarea[name="account[note]"]', versions=V46PLUS, source=s46))
    add(F("profile.46.heading", "profile", "text", ".content__heading h1", _L("settings.profile"), versions=V46PLUS,
          source=f"{s46}: %h1= t('settings.profile')"))
    add(F("profile.46.callout", "profile", "exists", "aside.callout .content .body p.title", versions=V46PLUS,
          source=s46))
    add(F("profile.46.callout.title", "profile", "text", "aside.callout p.title", _L("edit_profile.redesign_title"),
          versions=V46PLUS, source=f"{s46}; edit_profile.redesign_title"))
    add(F("profile.46.callout.body", "profile", "anytext", "aside.callout .body p", _L("edit_profile.redesign_body"),
          versions=V46PLUS, source=f"{s46}; edit_profile.redesign_body"))
    add(F("profile.46.callout.link", "profile", "attr", "aside.callout a", "/profile/edit", attr="href",
          versions=V46PLUS, source=f"{s46}: link_to ..., '/profile/edit'"))
    add(F("profile.46.callout.link.text", "profile", "text", 'aside.callout a[href="/profile/edit"]',
          _L("edit_profile.redesign_button"), versions=V46PLUS, source=f"{s46}; edit_profile.redesign_button"))
    add(F("profile.46.title", "profile", "title", expected=_L("settings.edit_profile"), versions=V46PLUS,
          source=f"{s46}: page_title settings.edit_profile"))

    # The 4.6 editor in the web app (app/javascript/mastodon/features/account_edit @v4.6.5;
    # strings: app/javascript/mastodon/locales/*.json). alice@old has a name, a bio and four fields.
    ae = f"app/javascript/mastodon/features/account_edit @{TAGS['4.6']}"
    add(F("editor.path", "profile_editor", "path", expected=r"/profile/edit", versions=V46PLUS,
          source=f"config/routes/web_app.rb @{TAGS['4.6']} (/profile/(*any)); {ae}"))
    add(F("editor.heading", "profile_editor", "text", "h1", T("Edit Profile", "Profil bearbeiten", "Modifier le profil"),
          versions=V46PLUS, source=f"{ae}/components/column.tsx (ColumnHeader h1); account_edit.column_title"))
    add(F("editor.done", "profile_editor", "attr", ".column-header a.button", "/@$username", attr="href",
          versions=V46PLUS, source=f"{ae}/index.tsx (to=`/@${{account.acct}}`); account_edit.column_button"))
    add(F("editor.done.text", "profile_editor", "text", ".column-header a.button", T("Done", "Erledigt", "Terminé"),
          versions=V46PLUS, source=f"{ae}/components/column.tsx; account_edit.column_button"))
    add(F("editor.section_titles", "profile_editor", "texts", "section h3",
          [T("Display name", "Anzeigename", "Nom public"), T("Bio", "Über mich", "Présentation"),
           T("Custom fields", "Zusatzfelder", "Champs personnalisés"),
           T("Featured hashtags", "Vorgestellte Hashtags", "Hashtags mis en avant"),
           T("Profile display settings", "Einstellungen für die Profilübersicht", "Paramètres d'affichage du profil"),
           T("Advanced settings", "Erweiterte Einstellungen", "Paramètres avancés")],
          versions=V46PLUS, source=f"{ae}/index.tsx, components/section.tsx (section > header > h3)"))
    add(F("editor.section_buttons", "profile_editor", "values", "section > header > button[title]",
          [T("Edit display name", "Anzeigenamen bearbeiten", "Modifier le nom public"),
           T("Edit bio", "Biografie bearbeiten", "Modifier la présentation")], attr="aria-label", versions=V46PLUS,
          source=f"{ae}/components/edit_button.tsx (IconButton title = aria-label once there is a value); "
                 "account_edit.display_name.edit_label, account_edit.bio.edit_label"))
    add(F("editor.fields", "profile_editor", "exists", "section ol > li h2", 4, versions=V46PLUS,
          source=f"{ae}/index.tsx, components/field.tsx (ol > li, name as h2, value as p)"))
    add(F("editor.field_actions", "profile_editor", "values", "section ol > li:first-child button",
          [T("Edit field", "Zusatzfeld bearbeiten", "Modifier le champ"), T("Delete field", "Zusatzfeld löschen", "Supprimer le champ")],
          attr="aria-label", versions=V46PLUS, source=f"{ae}/components/field_actions.tsx; account_edit.field_actions.*"))
    add(F("editor.field_buttons_at_max", "profile_editor", "texts", "section header div button",
          [T("Reorder fields", "Felder neu anordnen", "Réorganiser les champs")], versions=V46PLUS,
          source=f"{ae}/index.tsx (Reorder with more than one field; Add field only below max_profile_fields)"))
    add(F("editor.bot_toggle", "profile_editor", "attr", 'section input[type="checkbox"]', "checkbox", attr="type",
          versions=V46PLUS, source=f"{ae}/index.tsx (ToggleField), components/form_fields/toggle_field.tsx"))
    add(F("editor_dialog.role", "profile_editor_dialog", "exists", '[role="dialog"] form h1', versions=V46PLUS,
          source=f"{ae}/modals/name_modal.tsx (ConfirmationModal in modal_root role=dialog)"))
    add(F("editor_dialog.title", "profile_editor_dialog", "text", '[role="dialog"] h1',
          T("Edit display name", "Anzeigenamen bearbeiten", "Modifier le nom public"), versions=V46PLUS,
          source=f"{ae}/modals/name_modal.tsx; account_edit.name_modal.edit_title"))
    add(F("editor_dialog.input", "profile_editor_dialog", "value", '[role="dialog"] input[type="text"]', "$display_name",
          versions=V46PLUS, source=f"{ae}/modals/name_modal.tsx (prefilled with the display name)"))
    add(F("editor_dialog.labelled", "profile_editor_dialog", "exists", '[role="dialog"] input[aria-labelledby]',
          versions=V46PLUS, source=f"{ae}/modals/name_modal.tsx (aria-labelledby the title)"))
    add(F("editor_dialog.buttons", "profile_editor_dialog", "texts", '[role="dialog"] .safety-action-modal__actions button',
          [T("Cancel", "Abbrechen", "Annuler"), T("Save", "Speichern", "Enregistrer")], versions=V46PLUS,
          source=f"features/ui/components/confirmation_modals/confirmation_modal.tsx @{TAGS['4.6']}; confirmation_modal.cancel, account_edit.save"))
    add(F("editor_dialog.submit", "profile_editor_dialog", "attr", '[role="dialog"] .safety-action-modal__actions button.button',
          "submit", attr="type", versions=V46PLUS, source=f"features/ui/components/confirmation_modals/confirmation_modal.tsx @{TAGS['4.6']} (Button type=submit)"))
    add(F("editor_http.api_needs_token", "profile_editor_http", "status", "GET /api/v1/profile", 401, versions=V46PLUS,
          source=f"app/controllers/api/v1/profiles_controller.rb @{TAGS['4.6']} (doorkeeper_authorize!: a session cookie is not a token)"))
    add(F("editor_http.api_missing", "profile_editor_http", "status", "GET /api/v1/profile", 404, versions=UPTO45,
          source="config/routes/api.rb @v4.5.15 (no resource :profile)"))
    add(F("editor_http.page_missing", "profile_editor_http", "status", "GET /profile/edit", 404, versions=UPTO45,
          source="config/routes/web_app.rb @v4.5.15 (no /profile/(*any))"))

    s = f"{MD} 8; app/views/settings/privacy/show.html.haml"
    add(F("privacy.title", "privacy", "title", expected=_L("privacy.title"), versions=V42PLUS, source=f"{MD} 2.1"))
    add(F("privacy.discoverable", "privacy", "exists", 'input[name="account[discoverable]"]', versions=V42PLUS,
          source=s))
    add(F("privacy.unlocked", "privacy", "exists", 'input[type="checkbox"][name="account[unlocked]"]',
          versions=V42PLUS, source=s))
    add(F("privacy.unlocked.label", "privacy", "anytext", "label", _L("labels.account.unlocked"), match="contains",
          versions=V42PLUS, source=f"{s}; simple_form.labels.account.unlocked"))
    add(F("privacy.show_collections", "privacy", "exists", 'input[name="account[show_collections]"]',
          versions=V42_45, source=s))
    add(F("privacy.tabs.44", "privacy", "exists", '.content__heading__tabs a[href="/settings/privacy"]',
          versions=between("4.2", "4.4"), source=f"{s} @v4.4.22 (a tab of the profile pages)"))
    s45 = f"{s} @{TAGS['4.5']}"
    add(F("privacy.heading.45", "privacy", "text", ".content__heading h2", _L("privacy.title"), versions=("4.5",),
          source=f"{s45}: %h2= t('privacy.title')"))
    add(F("privacy.no_tabs.45", "privacy", "absent", ".content__heading__tabs", versions=V45PLUS,
          source=f"{s45} (no profile navigation)"))
    s46 = f"{s} @{TAGS['4.6']}"
    add(F("privacy.heading.46", "privacy", "text", ".content__heading h1", _L("privacy.title"), versions=V46PLUS,
          source=f"{s46}: %h1= t('privacy.title')"))
    add(F("privacy.no_show_collections.46", "privacy", "absent", 'input[name="account[show_collections]"]',
          versions=V46PLUS, source=f"{s46} (moved into the profile editor)"))
    add(F("privacy.callout.46", "privacy", "attr", "aside.callout a", "/profile/edit", attr="href", versions=V46PLUS,
          source=s46))
    add(F("privacy.callout.46.text", "privacy", "anytext", "aside.callout .body p",
          _L("edit_profile.privacy_redesign_body"), versions=V46PLUS, source=f"{s46}; edit_profile.privacy_redesign_body"))

    # ---------------------------------------------------------------------------------------
    # Sign out (mastodon-ui.md 1.1, 10)
    # ---------------------------------------------------------------------------------------
    s = f"{MD} 1.1, 10; spec/system/log_out_spec.rb"
    add(F("signed_out_after.path", "signed_out_after", "path", expected=r"/auth/sign_in", source=s))
    add(F("signed_out_after.title", "signed_out_after", "title", expected=_L("auth.login"), source=s))
    add(F("signed_out_after.no_notice", "signed_out_after", "absent", ".flash-message.notice",
          source=f"{MD} 1.1 (the 'Signed out' notice is deleted)"))
    add(F("signed_out_after.settings", "signed_out_after_http", "status", "GET /settings/export", 302, source=s))

    # ---------------------------------------------------------------------------------------
    # Error pages
    # ---------------------------------------------------------------------------------------
    add(F("errors.404.status", "errors", "status", "GET /this/page/does/not/exist", 404,
          source="Rails routing; app/views/errors/404 (errors.404)"))
    add(F("errors.404.body", "errors", "body", "GET /this/page/does/not/exist", _L("errors.404"), match="contains",
          source="app/views/layouts/error.html.haml; errors.404", inferred=("*/*",)))
    add(F("errors.500.status", "errors", "status", "GET /settings/export [fault 500]", 500,
          source=f"issue 2 (faults on demand); {MD} 7.5"))
    add(F("errors.500.body", "errors", "body", "GET /settings/export [fault 500]", _L("errors.500.content"),
          match="contains", source="app/views/errors/500.html.haml; errors.500.content", inferred=("*/*",)))
    add(F("errors.422.status", "errors", "status", "POST /settings/export [fault csrf]", 422,
          source=f"{MD} 1.6 (CSRF: protect_from_forgery with: :exception → 422)"))
    add(F("errors.422.body", "errors", "body", "POST /settings/export [fault csrf]", _L("errors.422.title"),
          match="contains", source="errors.422.title", inferred=("*/*",)))
    add(F("errors.429.status", "errors", "status", "GET /settings/export [fault rate_limit]", 429,
          source=f"{MD} 7.5 (HTTP 429)"))
    add(F("errors.429.retry_after", "errors", "header", "GET /settings/export [fault rate_limit]", r"\d+",
          attr="retry-after", match="regex", source="issue 2 (429 with Retry-After)"))
    return rows


FACTS: list[Fact] = _rows()
PAGES: list[str] = list(dict.fromkeys(f.page for f in FACTS))


def facts_for(page: str, version: str, lang: str) -> list[Fact]:
    return [f for f in FACTS if f.page == page and f.applies(version, lang)]

import type { Catalogue } from './en';

// French. Typed as `Catalogue`: a missing or extra key is a type error (and a test failure).
export const fr: Catalogue = {
  'app.name': 'Tessera',
  'accounts.heading': 'Comptes',
  'accounts.loading': 'Chargement des codes…',
  'accounts.empty.title': 'Aucun compte pour l’instant',
  'accounts.empty.body':
    'Lancez Tessera avec --uri suivi d’un lien otpauth://, ou placez des liens dans TESSERA_URIS, un par ligne.',
  'account.unnamed': 'Compte sans nom',
  'account.code': 'Code {digits}',
  'account.hotp': 'Code à compteur',
  'account.secondsLeft.one': 'encore {count} seconde',
  'account.secondsLeft.other': 'encore {count} secondes',
  'error.clock':
    'L’horloge du système indique une date antérieure à 1970 : les codes seraient faux. Corrigez la date et l’heure, puis réessayez.',
  'error.unknown': 'Impossible de charger les codes.',
  'error.retry': 'Réessayer',
  'launch.heading.one': '{count} lien n’a pas été ajouté',
  'launch.heading.other': '{count} liens n’ont pas été ajoutés',
  'launch.source.argument': 'Argument --uri nº {position}',
  'launch.source.environment': 'Ligne {position} de TESSERA_URIS',
  'uri.invalid_algorithm': 'algorithme non pris en charge (utilisez SHA1, SHA256 ou SHA512)',
  'uri.invalid_counter': 'le compteur n’est pas un nombre entier valide',
  'uri.invalid_digits': 'le nombre de chiffres doit être compris entre 5 et 10',
  'uri.invalid_label': 'le nom du compte n’est pas un texte valide',
  'uri.invalid_period': 'la période doit être un nombre entier de secondes supérieur à zéro',
  'uri.invalid_secret': 'le secret n’est pas en base32 valide',
  'uri.missing_secret': 'le lien ne contient pas de secret',
  'uri.not_otpauth': 'ce n’est pas un lien otpauth://',
  'uri.unknown_type': 'type de code inconnu (totp, hotp ou steam attendu)',
  'uri.unsupported_type': 'ce type de code (Yandex) n’est pas pris en charge',
};

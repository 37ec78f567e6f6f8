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
};

import type { MessageKey } from './en';

/** Nederlandse teksten. */
export const nl: Record<MessageKey, string> = {
  'app.name': 'Kennisdag',
  'app.tagline': 'Organiseer een kennisdag: stellingen, live stemmen, notities en een gepubliceerd verslag.',
  'language.switch': 'English',
  'join.title': 'Doe mee aan een kennisdag',
  'join.code': 'Code op het scherm',
  'join.submit': 'Meedoen',
  'join.scan': 'Of scan de QR-code op de projector.',
  'signin.title': 'Inloggen als organisator',
  'signin.email': 'E-mail',
  'signin.password': 'Wachtwoord',
  'signin.submit': 'Inloggen',
  'signin.failed': 'Het e-mailadres of wachtwoord klopt niet.',
  'signout.submit': 'Uitloggen',
  'setup.title': 'Maak het organisatoraccount aan',
  'setup.intro': 'Deze Kennisdag heeft nog geen organisator. Vul de eenmalige code in die in de serverconsole staat.',
  'setup.code': 'Eenmalige code',
  'setup.name': 'Uw naam',
  'setup.submit': 'Account aanmaken',
  'setup.badCode': 'De eenmalige code klopt niet.',
  'setup.done': 'Het organisatoraccount bestaat al; log in.',
  'error.title': 'Er ging iets mis',
  'error.back': 'Terug naar het begin'
};

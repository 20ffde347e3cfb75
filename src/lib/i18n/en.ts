/** English texts. Every key here must exist in nl.ts too: the type checker holds both to this shape. */
export const en = {
  'app.name': 'Kennisdag',
  'app.tagline': 'Run a knowledge day: theses, live votes, notes and a published recap.',
  'language.switch': 'Nederlands',
  'join.title': 'Join a knowledge day',
  'join.code': 'Code on the screen',
  'join.submit': 'Join',
  'join.scan': 'Or scan the QR code on the projector.',
  'signin.title': 'Sign in as organiser',
  'signin.email': 'E-mail',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.failed': 'The e-mail address or password is not right.',
  'signout.submit': 'Sign out',
  'setup.title': 'Create the organiser account',
  'setup.intro': 'This Kennisdag has no organiser yet. Enter the one-time code printed in the server console.',
  'setup.code': 'One-time code',
  'setup.name': 'Your name',
  'setup.submit': 'Create account',
  'setup.badCode': 'The one-time code is not right.',
  'setup.done': 'The organiser account exists already; sign in.',
  'error.title': 'Something went wrong',
  'error.back': 'Back to the start'
} as const;

export type MessageKey = keyof typeof en;

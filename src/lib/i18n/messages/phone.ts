/** Texts of the phone's end of the day, its queue to upvote and its own theses. */
export const en = {
  'end.title': 'Thank you for taking part!',
  'end.recap': 'Read the recap',
  'end.recapFollows': 'The recap follows: the link appears here as soon as it is published.',
  'phone.mergedInto': 'merged with “{text}”',
  'phone.queuedThesis': 'waiting to be sent',
  'queue.title': 'Theses in the queue',
  'queue.help': 'Upvote what you want to discuss: the chair sees how many want each thesis.',
  'queue.upvote': 'Upvote'
} as const;

export const nl: Record<keyof typeof en, string> = {
  'end.title': 'Bedankt voor uw deelname!',
  'end.recap': 'Lees het verslag',
  'end.recapFollows': 'Het verslag volgt: de link verschijnt hier zodra het gepubliceerd is.',
  'phone.mergedInto': 'samengevoegd met „{text}”',
  'phone.queuedThesis': 'wacht op verzending',
  'queue.title': 'Stellingen op de lijst',
  'queue.help': 'Steun wat u besproken wilt zien: de voorzitter ziet hoeveel steun elke stelling heeft.',
  'queue.upvote': 'Steunen'
};

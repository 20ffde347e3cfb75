import type { Message } from '../index';

/** Texts of the room: its capacity and removing members (Prepare page and chair console). */
export const en = {
  'room.title': 'Room',
  'room.capacity': 'Capacity: phones that may join (empty: no limit)',
  'room.saveCapacity': 'Save capacity',
  'room.count': { one: '{n} phone joined', other: '{n} phones joined' },
  'room.countOf': '{participants} of {capacity} places taken',
  'room.remove': 'Remove',
  'room.removeConfirm': 'Remove {name} from the event? This phone cannot join again.',
  'room.discardVotes': 'and discard their votes',
  'room.nobody': 'No phones have joined yet.'
} as const;

export const nl: Record<keyof typeof en, Message> = {
  'room.title': 'Zaal',
  'room.capacity': 'Capaciteit: telefoons die mogen meedoen (leeg: geen grens)',
  'room.saveCapacity': 'Capaciteit opslaan',
  'room.count': { one: '{n} telefoon doet mee', other: '{n} telefoons doen mee' },
  'room.countOf': '{participants} van {capacity} plaatsen bezet',
  'room.remove': 'Verwijderen',
  'room.removeConfirm': '{name} uit het evenement verwijderen? Deze telefoon kan niet opnieuw meedoen.',
  'room.discardVotes': 'en hun stemmen schrappen',
  'room.nobody': 'Er doen nog geen telefoons mee.'
};

import { describe, expect, it } from 'vitest';
import { recapWords } from './words';

const facts = { title: 'Day', date: '1 May 2026', venue: 'Gent', organisers: 'Forum', question: null, participants: 5, discussed: 3, notDiscussed: 1, talks: 0, speakers: null };

describe('the introduction', () => {
  it('reads as prose in both languages, with and without organisers', () => {
    expect(recapWords('en').intro(facts)).toBe('On 1 May 2026, Forum brought together five participants in Gent for “Day”. Three theses were discussed; one more was left for another time.');
    expect(recapWords('en').intro({ ...facts, organisers: null, date: null, notDiscussed: 0, participants: 14 })).toBe('At this knowledge day, 14 participants met in Gent for “Day”. Three theses were discussed.');
    expect(recapWords('nl').intro({ ...facts, date: '1 mei 2026' })).toBe(
      'Op 1 mei 2026 bracht Forum vijf deelnemers samen in Gent voor “Day”. Drie stellingen werden besproken; één stelling bleef liggen voor een volgende keer.'
    );
    expect(recapWords('nl').intro({ ...facts, organisers: null, date: '1 mei 2026', discussed: 1, notDiscussed: 0 })).toBe('Op 1 mei 2026 kwamen vijf deelnemers samen in Gent voor “Day”. Eén stelling werd besproken.');
  });
});

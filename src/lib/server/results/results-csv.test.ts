import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n';
import { neutraliseFormula, resultRows } from './results-csv';

describe('the results as CSV', () => {
  it('writes a cell a spreadsheet would run as a formula as text', () => {
    for (const cell of ['=1+1', '+31 6 1234', '-2', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['Agree', '1+1=2', 'e-mail', ' =not first', '']) expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('has one row per poll and option, word clouds per word, agenda items first, in the event’s language', () => {
    const poll = { id: 'p', question: 'Q', kind: 'yes_no' as const, options: ['Ja', 'Nee'], phase: 'after' as const, status: 'closed' as const, counts: [2, 1], total: 3 };
    const cloud = { ...poll, id: 'c', kind: 'word_cloud' as const, options: [], phase: null, counts: [], total: 4, words: [{ word: 'koffie', count: 3 }, { word: 'thee', count: 1 }] };
    const rows = resultRows(
      {
        agenda: [{ id: 'a', title: 'Opening', kind: 'talk', speaker: null, notes: [], polls: [cloud] }],
        theses: [{ id: 't', text: 'Stelling', status: 'discussed', discussedOrder: 1, position: 0, notes: [], polls: [poll] }]
      },
      translator('nl')
    );
    expect(rows).toEqual([
      ['Stelling of onderdeel', 'Vraag', 'Moment', 'Optie', 'Stemmen', 'Percentage'],
      ['Opening', 'Q', '', 'koffie', 3, 75],
      ['Opening', 'Q', '', 'thee', 1, 25],
      ['Stelling', 'Q', 'Na de discussie', 'Ja', 2, 67],
      ['Stelling', 'Q', 'Na de discussie', 'Nee', 1, 33]
    ]);
  });
});

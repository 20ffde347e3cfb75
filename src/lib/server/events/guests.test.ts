import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { guestsFromFile, parseGuestList } from './guests';

/** Reading a guest list as organisers paste it from a spreadsheet or an e-mail. */
describe('reading a pasted guest list', () => {
  it('takes semicolons, tabs or commas, with the e-mail address in any column', () => {
    const typed = [
      'Jan de Vries; Rabobank; CIO; jan@rabobank.nl',
      'Éva Ébène;Lab;;',
      '',
      'Pieter Bakker <Pieter@ASML.com>; ASML; architect'
    ].join('\n');
    expect(parseGuestList(typed, 'en')).toEqual([
      { name: 'Jan de Vries', organisation: 'Rabobank', jobTitle: 'CIO', email: 'jan@rabobank.nl' },
      { name: 'Éva Ébène', organisation: 'Lab', jobTitle: '' },
      { name: 'Pieter Bakker', organisation: 'ASML', jobTitle: 'architect', email: 'pieter@asml.com' }
    ]);
    expect(parseGuestList('Sanne Kuipers\tRabobank\thoofd communicatie\nTom Becker\tPhilips\tHR director', 'en')).toEqual([
      { name: 'Sanne Kuipers', organisation: 'Rabobank', jobTitle: 'hoofd communicatie' },
      { name: 'Tom Becker', organisation: 'Philips', jobTitle: 'HR director' }
    ]);
    expect(parseGuestList('Ann Smith, ann@example.org, Acme, CTO', 'en')).toEqual([{ name: 'Ann Smith', organisation: 'Acme', jobTitle: 'CTO', email: 'ann@example.org' }]);
    expect(parseGuestList('Madonna', 'en')).toEqual([{ name: 'Madonna', organisation: '', jobTitle: '' }]);
  });

  it('follows a header row in any order, in Dutch or English, and quoted cells with separators in them', () => {
    const csv = 'E-mailadres,Functie,Naam,Organisatie\r\njan@example.nl,"CIO, a.i.",Jan de Vries,"Rabobank; Utrecht"\r\n';
    expect(parseGuestList(csv, 'nl')).toEqual([{ name: 'Jan de Vries', organisation: 'Rabobank; Utrecht', jobTitle: 'CIO, a.i.', email: 'jan@example.nl' }]);
    expect(parseGuestList('\uFEFFName\tCompany\tTitle\nTom Becker\tPhilips\tHR director', 'en')).toEqual([{ name: 'Tom Becker', organisation: 'Philips', jobTitle: 'HR director' }]);
  });

  it('refuses a line it cannot read in the event’s language, naming the line', () => {
    const refusal = (text: string, language: 'nl' | 'en') => {
      try {
        parseGuestList(text, language);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBe(400);
        return (e as AppError).message;
      }
      throw new Error('not refused');
    };
    expect(refusal('Jan de Vries; Rabobank\n; Philips; CTO', 'nl')).toBe('Regel 2 heeft geen naam.');
    expect(refusal('Jan de Vries; Rabobank; CIO; jan@', 'en')).toBe('Line 1: “jan@” is not an e-mail address.');
    expect(refusal(`${'x'.repeat(121)}; Org`, 'en')).toBe('Line 1: Name has at most 120 characters.');
    expect(refusal('\n \n', 'nl')).toBe('De lijst noemt geen gasten.');
    expect(refusal(Array.from({ length: 2001 }, (_, i) => `Guest ${i}`).join('\n'), 'en')).toBe('Add at most 2,000 guests at once.');
  });

  it('takes the participants of an event archive, and reads any other file as CSV', () => {
    const archive = JSON.stringify({ event: { title: 'Day', date: '2026-06-18', language: 'nl' }, participants: [{ name: 'Jan de Vries', organisation: 'Rabobank', role: 'CIO', email: 'jan@example.nl', listed: true }] });
    expect(guestsFromFile('day.json', archive, 'nl')).toEqual([{ name: 'Jan de Vries', organisation: 'Rabobank', jobTitle: 'CIO', email: 'jan@example.nl' }]);
    expect(guestsFromFile('guests.csv', 'Naam;Organisatie\nJan de Vries;Rabobank', 'nl')).toEqual([{ name: 'Jan de Vries', organisation: 'Rabobank', jobTitle: '' }]);
    expect(() => guestsFromFile('day.json', '{"event": {}}', 'nl')).toThrow(AppError);
  });
});

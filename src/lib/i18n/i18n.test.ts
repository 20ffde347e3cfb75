import { describe, expect, it } from 'vitest';
import { catalogue, translator } from './index';
import { formatDate, formatPercent } from './format';

describe('the catalogue', () => {
  it('says counts in the form the number asks for, and numbers the language’s way', () => {
    const [nl, en] = [translator('nl'), translator('en')];
    expect(nl('phone.voters', { n: 1 })).toBe('1 stemmer');
    expect(nl('phone.voters', { n: 1200 })).toBe('1.200 stemmers');
    expect(en('phone.voters', { n: 1 })).toBe('1 voter');
    expect(en('phone.voters', { n: 0 })).toBe('0 voters');
    expect(en('room.count', { n: 1500 })).toBe('1,500 phones joined');
    expect(nl('live.queued', { n: 2 })).toBe('2 wachten op verzending');
    expect(formatPercent(25, 'nl')).toBe('25%');
    expect(formatDate('2026-11-25', 'nl')).toBe('25 nov 2026');
  });

  it('has every text in both languages, with the same placeholders', () => {
    const [nl, en] = [catalogue('nl'), catalogue('en')];
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (message: unknown) => [...new Set(JSON.stringify(message).match(/\{\w+\}/g) ?? [])].sort();
    for (const key of Object.keys(en)) expect(placeholders(nl[key]), key).toEqual(placeholders(en[key]));
  });
});

import { describe, expect, it } from 'vitest';
import { atLeast, memberRoles, oneOf } from './domain';

describe('the roles', () => {
  it('let each role do what the roles below it may, and no more', () => {
    expect(memberRoles.filter((role) => atLeast(role, 'chair'))).toEqual(['organiser', 'chair']);
    expect(memberRoles.filter((role) => atLeast(role, 'note_taker'))).toEqual(['organiser', 'chair', 'note_taker']);
    expect(memberRoles.filter((role) => atLeast(role, 'participant'))).toEqual([...memberRoles]);
    expect(atLeast('note_taker', 'organiser')).toBe(false);
  });

  it('are named in a refusal as a list of choices', () => {
    expect(oneOf(memberRoles)).toBe('organiser, chair, note_taker or participant');
  });
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser';
import { joinByApi, lowContrast, overflowing, serverWithBrowser } from '../helpers/screen';

/**
 * The wall screen in Chromium at 1920×1080 and 1280×720: a thesis of 300 characters with its poll,
 * the vote count and the timers all on one screen; the count of who voted against the participants
 * present (not the staff); readable colours; the countdown, the before/after shift, and what comes
 * next in the lower half between polls.
 */
const thesis =
  'Hybrid meetings only work when every participant, in the room or at home, has the same chance to speak, ' +
  'which means one microphone per person, a host who watches the chat, shared notes everyone can edit, ' +
  'and the discipline to end on time even when the discussion is at its most lively and useful now.';

const screens = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 }
];

describe.runIf(hasChromium)('the projector', () => {
  const world = serverWithBrowser();

  /** Every screen size shows the whole projector, nothing falling off. */
  async function fitsEveryScreen(projector: Page, what: string) {
    for (const size of screens) {
      await projector.setViewportSize(size);
      await projector.waitForTimeout(100);
      expect(await overflowing(projector), `${what} at ${size.width}×${size.height}`).toEqual([]);
    }
  }

  it('fits a 300-character thesis with its poll, counts the participants present, and keeps its colours readable', async () => {
    expect(thesis).toHaveLength(300);
    const { api, token, browser, server } = world;
    const event = (await api('POST', '/events', { title: 'Projector day', language: 'en' }, token)).body as { id: string; code: string };
    const thesisId = (await api('POST', `/events/${event.id}/theses`, { text: thesis }, token)).body.id as string;
    await api('POST', `/events/${event.id}/theses`, { text: 'Every meeting needs a written goal.' }, token);
    await api('POST', `/events/${event.id}/agenda`, { title: 'Coffee and walking discussions', kind: 'break', plannedMinutes: 20 }, token);
    await api('POST', `/events/${event.id}/theses/${thesisId}/start`, {}, token);

    // A chair and a note-taker joined with their phones: they are staff, not the room.
    for (const [name, role] of [['Chris Chair', 'chair'], ['Nora Notes', 'note_taker']]) {
      const { participantId } = await joinByApi(server.url, event.code, name);
      expect((await api('POST', `/events/${event.id}/members/${participantId}/role`, { memberId: participantId, role }, token)).status).toBe(200);
    }
    const phones = await Promise.all(['Ann', 'Ben', 'Cas'].map((name) => joinByApi(server.url, event.code, name)));

    const poll = (await api('POST', `/events/${event.id}/polls`, { thesisId, kind: 'agree5' }, token)).body.id as string;
    for (const [i, phone] of phones.entries()) await api('POST', `/events/${event.id}/polls/${poll}/votes`, { value: [0, 3, 4][i] }, phone.token);

    const { url } = (await api('GET', `/events/${event.id}/projector`, undefined, token)).body;
    const projector = await (await browser.newContext({ viewport: screens[0], locale: 'en-GB' })).newPage();
    await projector.goto(url.replace(/^https?:\/\/[^/]+/, server.url), { waitUntil: 'networkidle' });
    await expect.poll(() => projector.getByRole('heading', { name: thesis }).count()).toBe(1);
    // Three of the three participants voted: the organiser, the chair and the note-taker are not counted.
    await expect.poll(() => projector.getByTestId('voters').textContent()).toBe('3 of 3 voted');
    const shots = process.env.KENNISDAG_SCREENSHOTS;
    if (shots) await projector.screenshot({ path: `${shots}/projector-1080p-300-characters.png` });
    await fitsEveryScreen(projector, 'a 300-character thesis with an agree/disagree poll');
    expect(await lowContrast(projector, '[aria-label="results"] li > span:not(:nth-child(2)), [data-testid="voters"], [data-testid="poll-label"]')).toEqual([]);

    // A word cloud: every word readable on the dark screen, the small ones too.
    await api('POST', `/events/${event.id}/polls`, { thesisId, kind: 'word_cloud', closeOpen: true }, token);
    const cloud = (await api('GET', `/events/${event.id}/state`, undefined, token)).body.openPoll.id as string;
    for (const [i, phone] of phones.entries()) await api('POST', `/events/${event.id}/polls/${cloud}/votes`, { value: ['microphones', 'microphones', 'discipline'][i] }, phone.token);
    await expect.poll(() => projector.getByTestId('word-cloud').getByText('discipline').count()).toBe(1);
    expect(await lowContrast(projector, '[data-testid="word-cloud"] span')).toEqual([]);
    await fitsEveryScreen(projector, 'a word cloud');
    await projector.setViewportSize(screens[0]);
    await api('POST', `/events/${event.id}/polls/${cloud}/close`, {}, token);

    // The chair's countdown for a poll, on the wall beside the elapsed time.
    const before = (await api('POST', `/events/${event.id}/polls`, { thesisId, kind: 'agree5', phase: 'before' }, token)).body.id as string;
    expect((await api('PUT', `/events/${event.id}/countdown`, { seconds: '1:30' }, token)).body.countdown).toMatchObject({ seconds: 90, for: 'poll' });
    const countdown = projector.getByTestId('countdown');
    await expect.poll(() => countdown.textContent()).toMatch(/Time left to vote\s*1:(2\d|30)/);
    expect(await projector.getByRole('timer').count()).toBe(2);
    await fitsEveryScreen(projector, 'a countdown');
    await projector.setViewportSize(screens[0]);

    // Before and after the discussion: when the after poll closes, the wall shows how the room moved.
    for (const [i, phone] of phones.entries()) await api('POST', `/events/${event.id}/polls/${before}/votes`, { value: [0, 1, 3][i] }, phone.token);
    await api('POST', `/events/${event.id}/polls/${before}/close`, {}, token);
    await expect.poll(() => countdown.count()).toBe(0);
    const after = (await api('POST', `/events/${event.id}/polls`, { thesisId, kind: 'agree5', phase: 'after' }, token)).body.id as string;
    for (const [i, phone] of phones.entries()) await api('POST', `/events/${event.id}/polls/${after}/votes`, { value: [1, 3, 4][i] }, phone.token);
    expect(await projector.getByTestId('poll-shift').count()).toBe(0);
    await api('POST', `/events/${event.id}/polls/${after}/close`, {}, token);
    const shift = projector.getByTestId('poll-shift');
    await expect.poll(() => shift.count()).toBe(1);
    const rows = () => shift.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim()).join(' ')));
    expect(await rows()).toEqual([
      'Strongly disagree 33% 0% −33 points',
      'Disagree 33% 33% ±0 points',
      'Neutral 0% 0% ±0 points',
      'Agree 33% 33% ±0 points',
      'Strongly agree 0% 33% +33 points'
    ]);
    if (shots) await projector.screenshot({ path: `${shots}/projector-shift.png` });
    await fitsEveryScreen(projector, 'the before/after shift');

    // Between polls the lower half shows what comes next and who is in the room.
    await api('POST', `/events/${event.id}/theses/${thesisId}/finish`, {}, token);
    const next = projector.getByTestId('up-next');
    await expect.poll(() => next.textContent()).toContain('Next thesis: Every meeting needs a written goal.');
    expect(await next.textContent()).toContain('Coffee and walking discussions · 20 min');
    expect(await projector.getByTestId('in-room').textContent()).toBe('3 in the room');
    for (const size of screens) {
      await projector.setViewportSize(size);
      const box = (await next.boundingBox())!;
      expect(box.y, `what comes next sits in the lower half at ${size.width}×${size.height}`).toBeGreaterThan(size.height / 2);
    }
    await fitsEveryScreen(projector, 'what comes next');
    await projector.context().close();
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import { hasChromium, signInAsOrganiser } from '../helpers/browser';
import { serverWithBrowser } from '../helpers/screen';

/**
 * A note-taker types on while the last note is still on its way (venue wifi): when it arrives, the
 * cursor stays where they are typing, so nothing they type lands in another field.
 */
describe.runIf(hasChromium)('taking notes in Chromium', () => {
  const world = serverWithBrowser();

  it('keeps the note-taker in the speaker field when the previous note is saved meanwhile', async () => {
    const event = (await world.api('POST', '/events', { title: 'Notes day', date: '2026-11-26', language: 'en' }, world.token)).body as { id: string };
    const thesis = (await world.api('POST', `/events/${event.id}/theses`, { text: 'Write the goal in the invitation.' }, world.token)).body as { id: string };
    await world.api('POST', `/events/${event.id}/theses/${thesis.id}/start`, {}, world.token);
    const page = await world.open();
    await signInAsOrganiser(page, world.server.url);
    await page.goto(`${world.server.url}/e/${event.id}/notes`, { waitUntil: 'networkidle' });

    // The first note is held on its way until the next one is being typed.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/notes\?\/add$/, async (route) => {
      await held;
      await route.continue();
    }, { times: 1 });
    const noteBox = page.getByPlaceholder(/What was said/);
    await noteBox.fill('Goals make meetings shorter.');
    await noteBox.press('Enter');
    await noteBox.press('Alt+2');
    await noteBox.fill('Every meeting needs a goal.');
    const speaker = page.getByPlaceholder('Who said it');
    await speaker.click();
    await page.keyboard.type('Pat');
    const saved = page.waitForResponse(/\/notes\?\/add$/);
    release();
    await saved;
    await expect.poll(() => page.getByText('Goals make meetings shorter.').count()).toBe(1);
    await page.keyboard.type(' Jansen');

    expect(await speaker.inputValue()).toBe('Pat Jansen');
    expect(await noteBox.inputValue()).toBe('Every meeting needs a goal.');
    // Sent from the speaker field, the next note starts in the note box.
    await speaker.press('Enter');
    await expect.poll(async () => (await world.api('GET', `/events/${event.id}/notes`, undefined, world.token)).body.length).toBe(2);
    await expect.poll(() => noteBox.evaluate((box) => box === document.activeElement)).toBe(true);
    const notes = (await world.api('GET', `/events/${event.id}/notes`, undefined, world.token)).body as { kind: string; text: string; speaker: string | null }[];
    expect(notes.map((n) => [n.kind, n.text, n.speaker])).toEqual([
      ['note', 'Goals make meetings shorter.', null],
      ['quote', 'Every meeting needs a goal.', 'Pat Jansen']
    ]);
  });
});

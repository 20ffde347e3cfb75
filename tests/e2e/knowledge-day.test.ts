import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createEventAsChair, hasChromium, phoneViewport } from '../helpers/browser';
import { serverWithBrowser, typeCode } from '../helpers/screen';
import { organiser } from '../helpers/server';

/**
 * A whole thesis session in real Chromium: a chair, a projector, a note-taker and five phones, each
 * in its own browser context, joined by code and kept current by the live stream.
 */
describe.runIf(hasChromium)('a knowledge day in the browser', () => {
  const world = serverWithBrowser();
  const open = (options: object = {}) => world.open(options);

  it('runs join, submit, moderate, vote, projector, notes and the end of the discussion', async () => {
    const { api, token } = world;
    const base = world.server.url;

    // The chair signs in and creates the event.
    const chair = await open({ viewport: { width: 1440, height: 900 } });
    const { eventId, code, projectorUrl } = await createEventAsChair(chair, base, organiser, 'Browser day');

    // Five phones join by code; three submit a thesis.
    const phones: Page[] = [];
    for (let i = 1; i <= 5; i++) {
      const phone = await open(phoneViewport);
      await typeCode(phone, base, code.toLowerCase());
      await phone.getByLabel('Your name', { exact: true }).fill(`Phone ${i}`);
      await phone.getByLabel('Organisation', { exact: true }).fill(`Org ${i}`);
      if (i % 2) await phone.getByText('You may list me in the recap').click();
      await phone.getByRole('button', { name: 'Join' }).click();
      await phone.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });
      phones.push(phone);
    }
    const theses = ['Hybrid meetings need a room host.', 'Every meeting needs a written goal.', 'Hybrid meetings need someone hosting the room.'];
    for (const [i, text] of theses.entries()) {
      await phones[i].getByPlaceholder('A statement the room can agree or disagree with').fill(text);
      await phones[i].getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => phones[i].getByText(text).count()).toBeGreaterThan(0);
      await expect.poll(() => phones[i].getByText('waiting for the chair').count()).toBe(1);
    }

    // Phone 5 becomes the note-taker.
    await chair.reload();
    const row = chair.locator('li', { hasText: 'Phone 5' });
    await row.getByLabel('Set role').selectOption('note_taker');
    await row.getByRole('button', { name: 'Set role' }).click();
    await chair.waitForLoadState('networkidle');
    const noteTaker = phones[4];
    await noteTaker.setViewportSize({ width: 1024, height: 800 });
    await noteTaker.goto(`${base}/e/${eventId}/notes`);

    // The projector, by its read-only link.
    const projector = await open({ viewport: { width: 1600, height: 900 } });
    await projector.goto(projectorUrl.replace(/^https?:\/\/[^/]+/, base));
    await expect.poll(() => projector.getByText(code).count()).toBeGreaterThan(0);
    expect(await projector.locator('svg').count()).toBeGreaterThan(0); // the join QR code

    // The chair moderates: approves two and merges the duplicate.
    await chair.goto(`${base}/e/${eventId}/chair`);
    await expect.poll(() => chair.getByTestId('submitted-thesis').count()).toBe(3);
    for (const text of theses.slice(0, 2)) {
      const card = chair.locator(`[data-testid="submitted-thesis"][data-text="${text}"]`);
      await card.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => chair.getByTestId('queued-thesis').filter({ hasText: text }).count()).toBe(1);
    }
    const duplicate = chair.getByTestId('submitted-thesis');
    await duplicate.getByLabel('Merge into…').selectOption({ label: theses[0] });
    await duplicate.getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => chair.getByTestId('submitted-thesis').count()).toBe(0);
    // The phone says which thesis its own was merged with.
    await expect.poll(() => phones[2].getByText(`merged with “${theses[0]}”`).count()).toBe(1);

    // Keyboard: the second thesis moves to the top of the queue.
    await chair.getByTestId('queued-thesis').nth(1).focus();
    await chair.keyboard.press('Alt+ArrowUp');
    await expect.poll(async () => (await chair.getByTestId('queued-thesis').first().textContent())?.includes(theses[1])).toBe(true);

    // N starts the first thesis in the queue; it goes on the projector and the phones.
    await chair.locator('body').click({ position: { x: 5, y: 300 } });
    await chair.keyboard.press('n');
    await expect.poll(() => projector.getByRole('heading', { name: theses[1] }).count()).toBe(1);
    await expect.poll(() => phones[0].getByRole('heading', { name: theses[1] }).count()).toBe(1);

    // O opens an agree/disagree poll; four phones vote, one changes its mind.
    await expect.poll(() => chair.getByRole('heading', { name: `Thesis 1: ${theses[1]}` }).count()).toBe(1);
    await chair.keyboard.press('o');
    await expect.poll(() => phones[0].getByRole('button', { name: 'Strongly agree' }).count()).toBe(1);
    const choices = ['Agree', 'Strongly agree', 'Disagree', 'Agree'];
    for (const [i, choice] of choices.entries()) {
      await phones[i].getByRole('button', { name: choice, exact: true }).click();
      await expect.poll(() => phones[i].getByText('Your vote is in.').count()).toBe(1);
    }
    await phones[2].getByRole('button', { name: 'Neutral', exact: true }).click();
    await expect.poll(() => phones[2].locator('button[aria-pressed="true"]').textContent()).toBe('Neutral');
    // The projector's chart shows every vote: 4 voters of the 4 participants present (not the organiser, not the note-taker).
    await expect.poll(() => projector.getByTestId('voters').textContent(), { timeout: 10_000 }).toBe('4 of 4 voted');
    await expect.poll(() => projector.getByText('2 (50%)').count()).toBe(1);
    // A phone that voted sees the room's result.
    await expect.poll(() => phones[0].getByText('4 voters').count(), { timeout: 10_000 }).toBe(1);

    // The note-taker writes under the current thesis; the chair sees it live.
    const noteBox = noteTaker.getByPlaceholder(/What was said/);
    await noteBox.fill('Goals make meetings shorter.');
    await noteBox.press('Enter');
    await noteBox.press('Alt+2');
    await noteBox.fill('Write the goal in the invitation.');
    await noteTaker.getByPlaceholder('Who said it').fill('Phone 1');
    await noteBox.press('Enter');
    await expect.poll(() => chair.getByText('Write the goal in the invitation.').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => chair.getByText('Goals make meetings shorter.').count()).toBe(1);
    // Pictures of the screens mid-session, for a look (and the README).
    const shots = process.env.KENNISDAG_SCREENSHOTS;
    if (shots) {
      await chair.screenshot({ path: `${shots}/chair-console.png` });
      await projector.screenshot({ path: `${shots}/projector.png` });
      await phones[0].screenshot({ path: `${shots}/phone.png` });
    }

    // C closes the poll, F finishes the thesis, and the discussion ends.
    await chair.locator('body').click({ position: { x: 5, y: 300 } });
    await chair.keyboard.press('c');
    await expect.poll(() => phones[1].getByText('The poll is closed.').count()).toBe(1);
    await chair.keyboard.press('f');
    chair.once('dialog', (dialog) => void dialog.accept());
    await chair.getByRole('button', { name: 'End the discussion' }).click();
    await expect.poll(() => chair.getByText(/Not discussed: Hybrid meetings need a room host\./).count()).toBe(1);

    // From the end of the session to a published recap and its PDF, timed.
    const recapStart = Date.now();
    await chair.goto(`${base}/e/${eventId}/recap`, { waitUntil: 'networkidle' });
    await chair.getByRole('button', { name: 'Draft from the day’s data' }).click();
    const preview = chair.getByRole('article', { name: `Preview of “Thesis 1: ${theses[1]}”` });
    await expect.poll(() => preview.getByRole('heading', { name: `Thesis 1: ${theses[1]}` }).count()).toBe(1);
    expect(await preview.textContent()).toContain('Of 4 voters, 3 (75%) agreed, 0 (0%) disagreed and 1 (25%) were neutral.');
    await chair.getByRole('button', { name: 'Publish' }).click();
    const publicLink = chair.getByRole('link', { name: /\/r\// });
    await expect.poll(() => publicLink.count()).toBe(1);
    const pdf = await chair.request.get(`${base}${await chair.getByRole('link', { name: 'PDF' }).getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
    const recapSeconds = (Date.now() - recapStart) / 1000;
    expect(recapSeconds).toBeLessThan(60);
    const visitor = await open();
    await visitor.goto(`${base}${await publicLink.getAttribute("href")}`);
    await expect.poll(() => visitor.getByRole('heading', { name: `Thesis 1: ${theses[1]}` }).count()).toBe(1);
    expect(await visitor.locator('meta[property="og:title"]').getAttribute('content')).toBe('Browser day');

    const state = (await api('GET', `/events/${eventId}/state`, undefined, token)).body;
    const status = Object.fromEntries(state.theses.map((t: { text: string; status: string }) => [t.text, t.status]));
    expect(status).toEqual({ [theses[1]]: 'discussed', [theses[0]]: 'not_discussed', [theses[2]]: 'merged' });
    const archive = (await api('GET', `/events/${eventId}/export`, undefined, token)).body;
    expect(archive.theses[0]).toMatchObject({ text: theses[1], status: 'discussed', polls: [{ kind: 'agree5', results: [0, 0, 1, 2, 1] }] });
    expect(archive.theses[0].notes).toEqual([
      { kind: 'note', text: 'Goals make meetings shorter.' },
      { kind: 'quote', text: 'Write the goal in the invitation.', author: 'Phone 1' }
    ]);

  }, 240_000);
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, phoneViewport, signInAsOrganiser } from '../helpers/browser';
import { joinInBrowser, serverWithBrowser } from '../helpers/screen';

/**
 * The chair's tools in Chromium, the way the chair and the room use them: a multiple-choice poll
 * prepared on the Prepare page and opened with P; a poll of the chair's own question opened with O;
 * a countdown started with T and stopped with Shift+T; the room upvoting the queue from its phones
 * and the chair sorting by it with U; the queue's authors; rejected and merged theses kept aside
 * with Undo, and the phone saying which thesis its own was merged with.
 */
describe.runIf(hasChromium)('the chair console', () => {
  const world = serverWithBrowser();
  const open = (options?: object) => world.open(options);

  it('prepares, opens and times polls by keyboard, lets the room upvote the queue, and keeps set-aside theses at hand', async () => {
    const { api, token } = world;
    const base = world.server.url;
    const event = (await api('POST', '/events', { title: 'Console day', language: 'en' }, token)).body as { id: string; code: string };
    await api('POST', `/events/${event.id}/queue`, { text: 'Meetings need a goal.', authorName: 'Hanna' }, token);
    await api('POST', `/events/${event.id}/queue`, { text: 'E-mail is dead.', authorName: 'Piet' }, token);

    // Before the day, on the Prepare page: upvotes on, and a multiple-choice poll for the e-mail thesis.
    const chair = await open();
    await signInAsOrganiser(chair, base);
    await chair.goto(`${base}/e/${event.id}`, { waitUntil: 'networkidle' });
    await chair.getByLabel('Participants may upvote the theses in the queue').check();
    await chair.getByRole('button', { name: 'Save', exact: true }).first().click();
    await expect.poll(async () => (await api('GET', `/events/${event.id}/state`, undefined, token)).body.event.allowUpvotes).toBe(true);
    const email = chair.locator('[data-testid="prepared-thesis"][data-text="E-mail is dead."]');
    await email.getByText('Prepare poll', { exact: true }).first().click();
    await email.getByLabel('Kind of poll').selectOption('choice');
    await email.getByLabel('Question (empty: the thesis itself)').fill('What replaces e-mail first?');
    await email.getByLabel('Options, one a line').fill('Chat\nVideo calls\nNothing: e-mail stays');
    await email.getByRole('button', { name: 'Prepare poll' }).click();
    await expect.poll(() => email.getByTestId('prepared-poll').textContent()).toContain('Multiple choice · What replaces e-mail first? (Chat / Video calls / Nothing: e-mail stays)');

    // Three phones join; the queue is theirs to upvote.
    const phones: Page[] = [];
    for (const name of ['Ann', 'Ben', 'Cas']) {
      const phone = await open(phoneViewport);
      await joinInBrowser(phone, base, event.code, name);
      phones.push(phone);
    }
    const upvote = (phone: Page, text: string) => phone.getByRole('button', { name: `Upvote: ${text}` });
    for (const phone of phones.slice(0, 2)) {
      await upvote(phone, 'E-mail is dead.').click();
      await expect.poll(() => upvote(phone, 'E-mail is dead.').getAttribute('aria-pressed')).toBe('true');
    }
    await upvote(phones[2], 'Meetings need a goal.').click();
    await expect.poll(() => upvote(phones[2], 'Meetings need a goal.').getAttribute('aria-pressed')).toBe('true');
    // Pressed twice is taken back: one upvote per phone, never two.
    await upvote(phones[0], 'E-mail is dead.').click();
    await expect.poll(() => upvote(phones[0], 'E-mail is dead.').getAttribute('aria-pressed')).toBe('false');
    await upvote(phones[0], 'E-mail is dead.').click();
    await expect.poll(() => upvote(phones[0], 'E-mail is dead.').getAttribute('aria-pressed')).toBe('true');

    // The chair sees who brought each thesis and how many want it, and sorts the queue with U.
    await chair.goto(`${base}/e/${event.id}/chair`, { waitUntil: 'networkidle' });
    const queue = chair.getByTestId('queued-thesis');
    await expect.poll(() => queue.first().textContent()).toContain('Meetings need a goal.by Hanna · ▲ 1 upvotes');
    await expect.poll(() => queue.nth(1).textContent()).toContain('E-mail is dead.by Piet · ▲ 2 upvotes');
    expect(await chair.getByText('P open the next prepared poll · T start the countdown · Shift+T stop it · U sort the queue by upvotes').count()).toBe(1);
    const focusBody = () => chair.locator('body').click({ position: { x: 5, y: 5 } });
    await focusBody();
    await chair.keyboard.press('u');
    await expect.poll(() => queue.first().textContent()).toContain('E-mail is dead.');

    // A submission rejected, and one merged, stay aside with Undo; the merged one's phone says with which.
    for (const [i, text] of ['Coffee should be free.', 'Every meeting needs a goal.'].entries()) {
      await phones[i].getByPlaceholder('A statement the room can agree or disagree with').fill(text);
      await phones[i].getByRole('button', { name: 'Send', exact: true }).click();
    }
    await expect.poll(() => chair.getByTestId('submitted-thesis').count()).toBe(2);
    await chair.locator('[data-testid="submitted-thesis"][data-text="Coffee should be free."]').getByRole('button', { name: 'Reject' }).click();
    const duplicate = chair.locator('[data-testid="submitted-thesis"][data-text="Every meeting needs a goal."]');
    await duplicate.getByLabel('Merge into…').selectOption({ label: 'Meetings need a goal.' });
    await duplicate.getByRole('button', { name: 'Merge' }).click();
    const aside = chair.getByTestId('set-aside');
    await expect.poll(() => aside.locator('summary').textContent()).toBe('Rejected and merged (2)');
    await aside.locator('summary').click();
    await expect.poll(() => aside.getByTestId('set-aside-thesis').allTextContents()).toEqual([
      expect.stringMatching(/Coffee should be free\.\s*rejected · by Ann/),
      expect.stringMatching(/Every meeting needs a goal\.\s*merged into “Meetings need a goal\.” · by Ben/)
    ]);
    await expect.poll(() => phones[1].getByTestId('my-thesis').textContent()).toContain('merged with “Meetings need a goal.”');
    await aside.getByRole('button', { name: 'Undo: Coffee should be free.' }).click();
    await expect.poll(() => chair.locator('[data-testid="submitted-thesis"][data-text="Coffee should be free."]').count()).toBe(1);
    await expect.poll(() => aside.locator('summary').textContent()).toBe('Rejected and merged (1)');

    // N starts the most upvoted thesis; P opens its prepared poll on every phone.
    const projector = await open({ viewport: { width: 1920, height: 1080 } });
    const { url } = (await api('GET', `/events/${event.id}/projector`, undefined, token)).body;
    await projector.goto(url.replace(/^https?:\/\/[^/]+/, base), { waitUntil: 'networkidle' });
    await focusBody();
    await chair.keyboard.press('n');
    await expect.poll(() => chair.getByRole('heading', { name: 'Thesis 1: E-mail is dead.' }).count()).toBe(1);
    await expect.poll(() => chair.getByTestId('prepared-poll').count()).toBe(1);
    await focusBody();
    await chair.keyboard.press('p');
    await expect.poll(() => phones[0].getByRole('button', { name: 'Video calls', exact: true }).count()).toBe(1);
    expect(await phones[0].getByTestId('poll-label').textContent()).toMatch(/Poll:\s*What replaces e-mail first\?/);
    await phones[0].getByRole('button', { name: 'Video calls', exact: true }).click();
    await expect.poll(() => projector.getByTestId('voters').textContent()).toBe('1 of 3 voted');
    await expect.poll(() => chair.getByTestId('prepared-poll').count()).toBe(0);

    // T counts down on the wall for this poll; Shift+T stops it.
    await focusBody();
    await chair.keyboard.press('t');
    await expect.poll(() => projector.getByTestId('countdown').textContent()).toMatch(/Time left to vote\s*(1:00|0:5\d)/);
    await expect.poll(() => chair.getByTestId('countdown').count()).toBe(1);
    await focusBody();
    await chair.keyboard.press('Shift+T');
    await expect.poll(() => projector.getByTestId('countdown').count()).toBe(0);
    // Typed in the field, it is the chair's own length: 2 minutes, for the item.
    await chair.getByLabel('Countdown (m:ss)').fill('2:00');
    await chair.getByLabel('Countdown (m:ss)').press('Enter');
    await expect.poll(() => projector.getByTestId('countdown').textContent()).toMatch(/Time left to vote\s*(2:00|1:5\d)/);

    // O opens a poll of the chair's own question, after the chair confirms the open one closes.
    await chair.getByLabel('Kind of poll').selectOption('scale10');
    await chair.getByLabel('Question (empty: the thesis itself)').fill('How many e-mails do you send a day, in tens?');
    chair.once('dialog', (dialog) => void dialog.accept());
    await focusBody();
    await chair.keyboard.press('o');
    await expect.poll(() => phones[1].getByTestId('poll-label').textContent()).toMatch(/How many e-mails do you send a day, in tens\?/);
    expect(await phones[1].getByRole('button', { name: '10', exact: true }).count()).toBe(1);
    const kept = (await api('GET', `/events/${event.id}/state`, undefined, token)).body;
    expect(kept.openPoll).toMatchObject({ kind: 'scale10', question: 'How many e-mails do you send a day, in tens?' });
    // The countdown was the closed poll's: it went with it.
    await expect.poll(() => projector.getByTestId('countdown').count()).toBe(0);

    const shots = process.env.KENNISDAG_SCREENSHOTS;
    if (shots) await chair.screenshot({ path: `${shots}/chair-console-tools.png`, fullPage: true });
  }, 180_000);
});

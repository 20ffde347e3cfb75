import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signInAsOrganiser } from '../helpers/browser';
import { serverWithBrowser } from '../helpers/screen';

/**
 * The organiser's and the chair's own work in real Chromium: a recap edited, saved and published (and
 * an edit on top of an outdated version refused without losing it), and a poll that is never replaced
 * behind the room's back. (Guests added on the Prepare page: guest-list.test.ts.)
 */
describe('the organiser’s work in the browser', () => {
  const world = serverWithBrowser();
  const open = (options = {}) => world.open({ viewport: { width: 1440, height: 900 }, ...options });
  const signedIn = async () => {
    const page = await open();
    await signInAsOrganiser(page, world.server.url);
    return page;
  };
  const createEvent = async (title: string) => (await world.api('POST', '/events', { title, date: '2026-11-25', language: 'en' }, world.token)).body as { id: string; code: string };

  it('drafts, edits, saves and publishes the recap: the public page shows the edit, and Publish publishes the text on screen', async () => {
    const { api, token, server } = world;
    const { id: eventId } = await createEvent('Recap in the browser');
    const page = await signedIn();
    await page.goto(`${server.url}/e/${eventId}/recap`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Draft from the day’s data' }).click();
    // The editor shows the recap part by part: each with its heading, its text and its preview.
    const editor = page.getByRole('textbox', { name: 'Text of “Conclusions”' });
    const preview = page.getByRole('article', { name: 'Preview of “Conclusions”' });
    await expect.poll(() => page.getByRole('article', { name: 'Preview of “Recap in the browser”' }).getByRole('heading', { name: 'Recap in the browser' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Conclusions', level: 2 }).count()).toBeGreaterThan(0);
    expect(await page.locator('textarea').evaluateAll((areas) => areas.some((a) => (a as HTMLTextAreaElement).value.includes('<!-- section')))).toBe(false);
    await page.waitForURL(/\?version=/);
    const draftId = new URL(page.url()).searchParams.get('version');

    await editor.fill(`${await editor.inputValue()}\nAn edit typed in the browser.\n`);
    await expect.poll(() => preview.getByText('An edit typed in the browser.').count()).toBe(1);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('version')).not.toBe(draftId);
    await page.waitForLoadState('networkidle');
    const savedId = new URL(page.url()).searchParams.get('version')!;
    expect(await editor.inputValue()).toContain('An edit typed in the browser.');
    expect(await preview.getByText('An edit typed in the browser.').count()).toBe(1);
    const saved = (await api('GET', `/events/${eventId}/recaps/${savedId}`, undefined, token)).body;
    expect(saved).toMatchObject({ version: 2, engine: 'manual' });
    expect(saved.markdown).toContain('An edit typed in the browser.');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const publicLink = page.getByRole('link', { name: /\/r\// });
    await expect.poll(() => publicLink.count()).toBe(1);
    const visitor = await open();
    await visitor.goto(`${server.url}${await publicLink.getAttribute('href')}`);
    await expect.poll(() => visitor.getByText('An edit typed in the browser.').count()).toBe(1);
    expect((await api('GET', `/events/${eventId}/recaps`, undefined, token)).body.find((v: { status: string }) => v.status === 'published').id).toBe(savedId);

    // A second edit, published straight away without saving first: the public page gets exactly that text.
    await editor.fill(`${await editor.inputValue()}\nA second edit, published at once.\n`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('version')).not.toBe(savedId);
    await visitor.reload();
    await expect.poll(() => visitor.getByText('A second edit, published at once.').count()).toBe(1);
    expect(await visitor.getByText('An edit typed in the browser.').count()).toBe(1);
  });

  it('refuses to save over a newer version, says so, and keeps the typed text', async () => {
    const { api, token, server } = world;
    const { id: eventId } = await createEvent('Two tabs');
    const draft = (await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, token)).body;
    const page = await signedIn();
    await page.goto(`${server.url}/e/${eventId}/recap?version=${draft.recapId}`, { waitUntil: 'networkidle' });
    const editor = page.getByRole('textbox', { name: 'Text of “Conclusions”' });

    // Meanwhile another tab saves a newer version.
    const newer = (await api('PUT', `/events/${eventId}/recaps/${draft.recapId}`, { recapId: draft.recapId, markdown: '# Two tabs\n\nThe other tab’s text.\n' }, token)).body;
    const typed = `${await editor.inputValue()}\nMy careful edit.\n`;
    await editor.fill(typed);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/newer version/i);
    expect(await editor.inputValue()).toBe(typed);
    expect(new URL(page.url()).searchParams.get('version')).toBe(draft.recapId);
    // The newest version is one click away, in a new tab, so the typed text stays here.
    const newest = alert.getByRole('link');
    expect(await newest.getAttribute('target')).toBe('_blank');
    const tab = await page.context().newPage();
    await tab.goto(`${server.url}${await newest.getAttribute('href')}`, { waitUntil: 'networkidle' });
    expect(await tab.getByRole('textbox', { name: 'Text of “Two tabs”' }).inputValue()).toBe(newer.markdown);
    await tab.close();

    // Publishing the typed text is refused the same way; nothing new is saved or published.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => alert.textContent()).toMatch(/newer version/i);
    expect(await editor.inputValue()).toBe(typed);
    const versions = (await api('GET', `/events/${eventId}/recaps`, undefined, token)).body;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'draft'],
      [1, 'draft']
    ]);
  });

  it('edits the recap part by part: a part drafted again keeps the other parts’ edits; lists are numbered and tables padded in the preview', async () => {
    const { api, token, server } = world;
    const { id: eventId } = await createEvent('Parts day');
    for (const title of ['Welcome', 'Round table']) await api('POST', `/events/${eventId}/agenda`, { title, kind: 'discussion' }, token);
    await api('POST', `/events/${eventId}/members`, { name: 'Lia Listed', organisation: 'Acme', listed: true }, token);
    const draft = (await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, token)).body;
    const page = await signedIn();
    await page.goto(`${server.url}/e/${eventId}/recap?version=${draft.recapId}`, { waitUntil: 'networkidle' });

    const agenda = page.getByRole('article', { name: 'Preview of “Agenda”' });
    expect(await agenda.locator('ol > li').count()).toBe(2);
    expect(await agenda.locator('ol').evaluate((ol) => getComputedStyle(ol).listStyleType)).toBe('decimal');
    const cell = page.getByRole('article', { name: 'Preview of “Participants”' }).locator('td').first();
    expect(parseFloat(await cell.evaluate((td) => getComputedStyle(td).paddingLeft))).toBeGreaterThan(4);

    const intro = page.getByRole('textbox', { name: 'Text of “Introduction”' });
    await intro.fill(`${await intro.inputValue()}\n\nA line the organiser added.`);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('version')).not.toBe(draft.recapId);
    await page.waitForLoadState('networkidle');
    const saved = new URL(page.url()).searchParams.get('version');
    await page.getByRole('button', { name: 'Draft “Conclusions” again' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('version')).not.toBe(saved);
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('textbox', { name: 'Text of “Introduction”' }).inputValue()).toContain('A line the organiser added.');
    const versions = (await api('GET', `/events/${eventId}/recaps`, undefined, token)).body as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('asks before a new poll replaces an open one, keeps the room’s votes, and labels every poll', async () => {
    const { api, token, server } = world;
    const { id: eventId, code } = await createEvent('Poll day');
    const thesis = (await api('POST', `/events/${eventId}/theses`, { text: 'Stand-ups should stand.' }, token)).body;
    await api('POST', `/events/${eventId}/theses/${thesis.id}/start`, {}, token);
    const chair = await signedIn();
    await chair.goto(`${server.url}/e/${eventId}/chair`, { waitUntil: 'networkidle' });
    const phone: Page = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await phone.goto(`${server.url}/join/${code}`, { waitUntil: 'networkidle' });
    await phone.getByLabel('Your name', { exact: true }).fill('Pat');
    await phone.getByRole('button', { name: 'Join' }).click();
    await phone.waitForURL(`${server.url}/m/${eventId}`, { waitUntil: 'commit' });
    const projector = await open({ viewport: { width: 1600, height: 900 } });
    const { url: projectorUrl } = (await api('GET', `/events/${eventId}/projector`, undefined, token)).body;
    await projector.goto(projectorUrl.replace(/^https?:\/\/[^/]+/, server.url));

    const label = async (screen: Page) => (await screen.getByTestId('poll-label').textContent())?.replace(/\s+/g, ' ').trim();
    const openPoll = async () => {
      await chair.locator('body').click({ position: { x: 5, y: 300 } });
      await chair.keyboard.press('o');
    };
    await chair.getByLabel('Moment').selectOption('before');
    await openPoll();
    await expect.poll(() => phone.getByRole('button', { name: 'Agree', exact: true }).count()).toBe(1);
    await expect.poll(() => phone.getByText('Before the discussion').count()).toBe(1);
    // The projector shows the thesis above the poll: the label does not repeat it.
    await expect.poll(() => label(projector)).toBe('Before the discussion');
    await phone.getByRole('button', { name: 'Agree', exact: true }).click();
    await expect.poll(() => phone.getByText('Your vote is in.').count()).toBe(1);
    await expect.poll(() => chair.getByTestId('chair-voters').textContent()).toMatch(/^1 of \d+ voted$/);
    const first = (await api('GET', `/events/${eventId}/state`, undefined, token)).body.openPoll;

    // O again: the chair is asked, says no, and nothing changes for the room.
    const asked: string[] = [];
    chair.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await openPoll();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/already open.*1 vote/s);
    await chair.waitForLoadState('networkidle');
    expect((await api('GET', `/events/${eventId}/state`, undefined, token)).body.openPoll.id).toBe(first.id);
    expect(await phone.locator('button[aria-pressed="true"]').textContent()).toBe('Agree');
    await expect.poll(() => chair.getByTestId('chair-voters').textContent()).toMatch(/^1 of \d+ voted$/);
    await expect.poll(() => projector.getByTestId('voters').textContent()).toMatch(/^1 of \d+ voted$/);
    expect(await label(projector)).toBe('Before the discussion');

    // O once more, now for the poll after the discussion, and the chair confirms.
    await chair.getByLabel('Moment').selectOption('after');
    chair.once('dialog', (dialog) => void dialog.accept());
    await openPoll();
    await expect.poll(async () => (await api('GET', `/events/${eventId}/state`, undefined, token)).body.openPoll?.id).not.toBe(first.id);
    await expect.poll(() => phone.getByText('After the discussion').count()).toBe(1);
    await expect.poll(() => label(projector)).toBe('After the discussion');
    await expect.poll(() => chair.getByText('After the discussion').count()).toBeGreaterThan(0);
    const kept = (await api('GET', `/events/${eventId}/polls/${first.id}/results`, undefined, token)).body;
    expect(kept).toMatchObject({ status: 'closed', counts: [0, 0, 0, 1, 0], total: 1 });

    await api('POST', `/events/${eventId}/theses/${thesis.id}/finish`, {}, token);
    const { markdown } = (await api('POST', `/events/${eventId}/recaps`, { engine: 'builtin' }, token)).body;
    expect([...markdown.matchAll(/^(.*)\n\n```chart$/gm)].map((m) => m[1])).toEqual([
      '**Before the discussion:** Stand-ups should stand.',
      '**After the discussion:** Stand-ups should stand.'
    ]);
  });
});

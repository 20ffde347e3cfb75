import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasChromium, phoneViewport, signInAsOrganiser } from '../helpers/browser';
import jsQR from 'jsqr';
import { pdfPageGrey, pdfText } from '../helpers/files';
import { joinByApi, joinInBrowser, serverWithBrowser } from '../helpers/screen';
import { organiser } from '../helpers/server';

/**
 * The organiser's own tools in Chromium: theses prepared on the Prepare page (added with their
 * author, corrected, ordered, deleted), the join poster, the results as CSV and the archive, a
 * participant removed from the Prepare page, the organiser's own name, and the recap page saying why
 * the built-in draft was used when the language model's was asked for.
 */
describe.runIf(hasChromium)('the organiser’s tools', () => {
  const world = serverWithBrowser();
  const open = (options?: object) => world.open(options);
  const createEvent = async (title: string) =>
    (await world.api('POST', '/events', { title, date: '2026-11-26', language: 'en', venue: 'Utrecht' }, world.token)).body as { id: string; code: string };
  const queueTexts = async (eventId: string) =>
    ((await world.api('GET', `/events/${eventId}/state`, undefined, world.token)).body.theses as { text: string; authorName: string | null; status: string }[])
      .filter((t) => t.status === 'approved')
      .map((t) => [t.text, t.authorName]);

  it('prepares theses with their authors: adds, corrects, orders and deletes them', async () => {
    const event = await createEvent('Prepared day');
    const page = await open();
    await signInAsOrganiser(page, world.server.url);
    await page.goto(`${world.server.url}/e/${event.id}`, { waitUntil: 'networkidle' });
    const add = page.locator('form[action="?/addThesis"]');
    for (const [text, author] of [
      ['Offices are for meeting.', 'Olga'],
      ['Hybrid work is here to stay.', 'Hanna'],
      ['Nobody reads the minutes.', '']
    ]) {
      await add.getByLabel('Thesis', { exact: true }).fill(text);
      await add.getByLabel('Brought by').fill(author);
      await add.getByRole('button', { name: 'Add thesis' }).click();
      await expect.poll(() => page.locator(`[data-testid="prepared-thesis"][data-text="${text}"]`).count()).toBe(1);
    }
    expect(await queueTexts(event.id)).toEqual([
      ['Offices are for meeting.', 'Olga'],
      ['Hybrid work is here to stay.', 'Hanna'],
      ['Nobody reads the minutes.', null]
    ]);

    const offices = page.locator('[data-testid="prepared-thesis"][data-text="Offices are for meeting."]');
    await offices.getByLabel('Thesis', { exact: true }).fill('Offices are for meeting people.');
    await offices.getByLabel('Brought by').fill('Olga O.');
    await offices.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="prepared-thesis"][data-text="Offices are for meeting people."]').count()).toBe(1);
    await page.getByRole('button', { name: 'Down: Offices are for meeting people.' }).click();
    await expect.poll(() => queueTexts(event.id)).toEqual([
      ['Hybrid work is here to stay.', 'Hanna'],
      ['Offices are for meeting people.', 'Olga O.'],
      ['Nobody reads the minutes.', null]
    ]);
    await page.getByRole('button', { name: 'Up: Nobody reads the minutes.' }).click();
    await page.getByRole('button', { name: 'Delete: Hybrid work is here to stay.' }).click();
    await expect.poll(() => queueTexts(event.id)).toEqual([
      ['Nobody reads the minutes.', null],
      ['Offices are for meeting people.', 'Olga O.']
    ]);
    await expect.poll(() => page.getByTestId('prepared-thesis').count()).toBe(2);

    // A thesis with notes is part of the record: deleting it is refused with a sentence, and it stays.
    const kept = (await world.api('GET', `/events/${event.id}/state`, undefined, world.token)).body.theses[0].id;
    await world.api('POST', `/events/${event.id}/notes`, { thesisId: kept, text: 'Said at the coffee machine.' }, world.token);
    await page.getByRole('button', { name: 'Delete: Nobody reads the minutes.' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/cannot be deleted\. Reject it instead\./);
    expect(await page.getByTestId('prepared-thesis').count()).toBe(2);
  });

  it('prints the join poster and downloads the results as CSV and the whole event as the archive', async () => {
    const event = await createEvent('Results, “quoted”, day');
    const formula = '=HYPERLINK("http://evil.example","click")';
    const thesis = (await world.api('POST', `/events/${event.id}/queue`, { text: formula, authorName: 'Mallory' }, world.token)).body.id as string;
    await world.api('POST', `/events/${event.id}/theses/${thesis}/start`, {}, world.token);
    const poll = (await world.api('POST', `/events/${event.id}/polls`, { thesisId: thesis, kind: 'choice', options: ['Yes, with “quotes”', 'No, with a comma', '@mention'], phase: 'before', question: 'Safe, or not?' }, world.token)).body.id;
    const voters = await Promise.all(['Ann', 'Ben', 'Cas'].map((name) => joinByApi(world.server.url, event.code, name)));
    for (const [i, voter] of voters.entries()) await world.api('POST', `/events/${event.id}/polls/${poll}/votes`, { value: [0, 0, 1][i] }, voter.token);
    await world.api('POST', `/events/${event.id}/polls/${poll}/close`, {}, world.token);

    const page = await open();
    await signInAsOrganiser(page, world.server.url);
    await page.goto(`${world.server.url}/e/${event.id}`, { waitUntil: 'networkidle' });

    // The poster: a PDF with the title, the QR code's address to type, and the code.
    const posterLink = page.getByRole('link', { name: 'Join poster to print (PDF)' });
    const poster = await page.request.get(`${world.server.url}${await posterLink.getAttribute('href')}`);
    expect(poster.status()).toBe(200);
    expect(poster.headers()['content-type']).toBe('application/pdf');
    const pdf = Buffer.from(await poster.body());
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Results, “quoted”, day');
    expect(text).toContain('Join with your phone');
    expect(text).toContain('Scan the code, or go to');
    expect(text).toContain(event.code);
    const joinUrl = new RegExp(`^https?://[^ ]+/join/${event.code}$`);
    expect(text.split(' ').some((word) => joinUrl.test(word))).toBe(true);
    // The QR code, read off the printed page as a phone's camera would, is the join address.
    const page1 = pdfPageGrey(pdf);
    const rgba = new Uint8ClampedArray(page1.width * page1.height * 4).map((_, i) => (i % 4 === 3 ? 255 : page1.pixels[i >> 2]));
    expect(jsQR(rgba, page1.width, page1.height)?.data).toMatch(joinUrl);
    const shots = process.env.KENNISDAG_SCREENSHOTS;
    if (shots) {
      const file = join(mkdtempSync(join(tmpdir(), 'poster-')), 'poster.pdf');
      writeFileSync(file, pdf);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, join(shots, 'join-poster')]);
    }

    // The results: UTF-8 with a BOM, CRLF lines, quoted where needed, no formula a spreadsheet would run.
    const csvLink = page.getByRole('link', { name: 'Poll results (CSV, for a spreadsheet)' });
    const download = page.waitForEvent('download');
    await csvLink.click();
    const csv = Buffer.from(await (await page.request.get(`${world.server.url}${await csvLink.getAttribute('href')}`)).body());
    expect((await download).suggestedFilename()).toBe('results-quoted-day-results.csv');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').slice(1).split('\r\n')).toEqual([
      'Thesis or item,Question,Phase,Option,Votes,Percentage',
      `"'=HYPERLINK(""http://evil.example"",""click"")","Safe, or not?",Before the discussion,"Yes, with “quotes”",2,67`,
      `"'=HYPERLINK(""http://evil.example"",""click"")","Safe, or not?",Before the discussion,"No, with a comma",1,33`,
      `"'=HYPERLINK(""http://evil.example"",""click"")","Safe, or not?",Before the discussion,'@mention,0,0`,
      ''
    ]);

    // The archive: the whole event, for another Kennisdag.
    const archive = await page.request.get(`${world.server.url}${await page.getByRole('link', { name: 'Download the event archive' }).getAttribute('href')}`);
    expect((await archive.json()).format).toBe('kennisdag/event-archive@1');
  });

  it('removes a participant from the Prepare page, and sets the organiser’s own name', async () => {
    const event = await createEvent('Names day');
    const phone = await open(phoneViewport);
    await joinInBrowser(phone, world.server.url, event.code, 'Flooding Phone');
    const page = await open();
    await signInAsOrganiser(page, world.server.url);

    // The organiser's name: the e-mail's first part until set.
    const account = page.getByTestId('account');
    expect(await account.textContent()).toBe(`organiser · ${organiser.email}`);
    await page.getByRole('textbox', { name: 'Your name' }).fill('Olga Organiser');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Your name is saved.');
    await expect.poll(() => account.textContent()).toBe(`Olga Organiser · ${organiser.email}`);

    await page.goto(`${world.server.url}/e/${event.id}`, { waitUntil: 'networkidle' });
    expect(await page.getByText('Olga Organiser', { exact: true }).count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove Flooding Phone' }).click();
    await expect.poll(() => page.getByText('Flooding Phone', { exact: true }).count()).toBe(0);
    await phone.reload({ waitUntil: 'networkidle' });
    expect(new URL(phone.url()).pathname).toBe('/');
  });

  it('says on the recap page, after drafting, that the built-in draft was used and why', async () => {
    const event = await createEvent('Model day');
    const page = await open();
    await signInAsOrganiser(page, world.server.url);
    await page.goto(`${world.server.url}/e/${event.id}/recap`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Draft with the language model' }).click();
    await page.waitForURL(/\?version=/);
    const notice = page.getByTestId('llm-fallback');
    await expect.poll(() => notice.textContent()).toContain('The built-in draft was used: this event does not allow sending notes to the language model.');
    const first = (await world.api('GET', `/events/${event.id}/recaps`, undefined, world.token)).body[0];
    expect(first).toMatchObject({ engine: 'builtin', version: 1 });

    // Allowed, but this server has no model: the notice says that instead.
    await page.goto(`${world.server.url}/e/${event.id}`, { waitUntil: 'networkidle' });
    await page.getByLabel(/May send notes to the language model/).check();
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await expect.poll(async () => (await world.api('GET', `/events/${event.id}/state`, undefined, world.token)).body.event.allowLlm).toBe(true);
    await page.goto(`${world.server.url}/e/${event.id}/recap`, { waitUntil: 'networkidle' });
    expect(await notice.count()).toBe(0);
    await page.getByRole('button', { name: 'Draft with the language model' }).click();
    await expect.poll(() => notice.textContent()).toContain('The built-in draft was used: no language model is configured on this server (OPENAI_API_KEY).');
    // The built-in draft asked for by name needs no notice.
    await page.getByRole('button', { name: 'Draft from the day’s data' }).click();
    await expect.poll(async () => (await world.api('GET', `/events/${event.id}/recaps`, undefined, world.token)).body.length).toBe(3);
    await expect.poll(() => notice.count()).toBe(0);
  });
});

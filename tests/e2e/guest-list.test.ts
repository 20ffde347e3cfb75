import type { BrowserContext, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, phoneViewport, signInAsOrganiser } from '../helpers/browser';
import { serverWithBrowser } from '../helpers/screen';

/**
 * The invited day in Chromium, on a Dutch event: the organiser pastes a guest list (and adds a guest
 * by hand without JavaScript), prints the invitations, a guest opens her invitation on a phone,
 * consents and submits a thesis before the day; on the day another guest claims his name by code, a
 * second phone is refused that name, a walk-in joins, a guest who walked in under a nickname is
 * merged into himself, and the recap draft lists each person once and counts people.
 */
describe.runIf(hasChromium)('the guest list in the browser', () => {
  const world = serverWithBrowser();
  let eventId: string;
  let code: string;
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  const nextYear = `${new Date().getFullYear() + 1}-06-18`;

  const open = async (options: Record<string, unknown> = {}) => {
    const context = await world.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    return page;
  };
  const phone = () => open({ ...phoneViewport, locale: 'nl-NL' });

  /** A phone types a name on the join page and presses Meedoen. */
  async function typeName(page: Page, name: string, consent = true, organisation = '') {
    await page.goto(`${world.server.url}/join/${code}`, { waitUntil: 'networkidle' });
    await page.getByLabel('Uw naam', { exact: true }).fill(name);
    if (organisation) await page.getByLabel('Organisatie', { exact: true }).fill(organisation);
    if (consent) await page.getByLabel(/U mag mij vermelden/).check();
    await page.getByRole('button', { name: 'Meedoen' }).click();
  }

  beforeAll(async () => {
    ({ id: eventId, code } = (await world.api('POST', '/events', { title: 'Rondetafel weerbaarheid', date: nextYear, language: 'nl', venue: 'Jaarbeurs, Utrecht' }, world.token)).body);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
  });

  it('runs an invited day from the pasted list to a recap that counts people', async () => {
    const { api, token } = world;
    const base = world.server.url;
    const desk = await open();
    await signInAsOrganiser(desk, base);
    await desk.goto(`${base}/e/${eventId}`, { waitUntil: 'networkidle' });
    await desk
      .getByLabel(/Plak een lijst/)
      .fill(
        'Naam;Organisatie;Functie;E-mail\nJan de Vries;Rabobank;CIO;jan@example.nl\nÉva Ébène;Erasmus MC;CISO;eva@example.nl\nPieter Bakker;ASML;architect;\nSanne Kuipers;Gemeente Utrecht;hoofd communicatie;\nAhmed El Amrani;PostNL;directeur IT;'
      );
    await desk.getByRole('button', { name: 'Deze gasten toevoegen' }).click();
    await expect.poll(() => desk.getByRole('status').textContent()).toBe('Toegevoegd: 5. Aangevuld: 0.');
    expect(await desk.locator('tr[data-guest]').count()).toBe(5);
    // A CSV file from the registration system: one guest is new, one is on the list already and gets her address.
    await desk.getByLabel(/Of importeer een CSV-bestand/).setInputFiles({
      name: 'aanmeldingen.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('naam,organisatie,functie,e-mail\r\nNoor Hendriks,UWV,programmamanager,noor@example.nl\r\nsanne kuipers,,,sanne@example.nl\r\n')
    });
    await desk.getByRole('button', { name: 'Gasten importeren' }).click();
    await expect.poll(() => desk.getByRole('status').textContent()).toBe('Toegevoegd: 1. Aangevuld: 1.');
    expect(await desk.locator('tr[data-guest="Sanne Kuipers"]').textContent()).toContain('sanne@example.nl');
    // A guest with an address gets the invitation as an e-mail from the organiser's own mail program.
    const sanne = desk.locator('tr[data-guest="Sanne Kuipers"]');
    const mail = new URL((await sanne.getByRole('link', { name: 'Uitnodiging e-mailen: Sanne Kuipers' }).getAttribute('href'))!);
    const personal = await sanne.getByRole('link', { name: 'Uitnodigingslink Sanne Kuipers' }).getAttribute('href');
    expect(mail.protocol).toBe('mailto:');
    expect(mail.pathname).toBe('sanne@example.nl');
    expect(mail.searchParams.get('subject')).toMatch(/^Uw uitnodiging: /);
    expect(mail.searchParams.get('body')).toContain('Beste Sanne Kuipers,');
    expect(mail.searchParams.get('body')).toContain(personal);
    expect(await desk.locator('tr[data-guest="Pieter Bakker"]').getByRole('link', { name: /Uitnodiging e-mailen/ }).count()).toBe(0);

    // Without JavaScript the form still works; the organiser gives no consent for the guest.
    const plain = await open({ javaScriptEnabled: false });
    await signInAsOrganiser(plain, base);
    await plain.goto(`${base}/e/${eventId}`, { waitUntil: 'networkidle' });
    const byHand = plain.locator('form[action="?/addGuest"]');
    expect(await byHand.locator('input[type="checkbox"]').count()).toBe(0);
    await byHand.getByLabel('Naam', { exact: true }).fill('Lotte de Graaf');
    await byHand.getByLabel('Organisatie', { exact: true }).fill('ANWB');
    await byHand.getByRole('button', { name: 'Gast toevoegen' }).click();
    await plain.waitForLoadState('networkidle');
    expect(await plain.locator('tr[data-guest="Lotte de Graaf"]').textContent()).toMatch(/toestemming nog niet gevraagd/);

    // The printable invitations: one card per guest with the event, QR code and short link; four to an A4 page.
    await desk.reload({ waitUntil: 'networkidle' });
    await desk.getByRole('link', { name: 'Uitnodigingen afdrukken' }).click();
    await desk.waitForURL(`${base}/e/${eventId}/invitations`, { waitUntil: 'networkidle' });
    const cards = desk.locator('article.card');
    expect(await cards.count()).toBe(7);
    const eva = desk.locator('article[aria-label="Éva Ébène"]');
    expect(await eva.textContent()).toMatch(/Rondetafel weerbaarheid.*Jaarbeurs, Utrecht/s);
    expect(await eva.locator('svg').count()).toBe(1);
    // The short link carries the address phones use (the LAN's, as the projector's QR code does).
    const shortLink = (await eva.locator('.link').textContent())!.trim();
    expect(shortLink).toMatch(/^https?:\/\/[^/]+\/i\/[A-Za-z0-9_-]{22}$/);
    const evaLink = base + new URL(shortLink).pathname;
    await desk.emulateMedia({ media: 'print' });
    expect(await desk.getByRole('button', { name: 'Afdrukken' }).isVisible()).toBe(false);
    const [first, second] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
    expect(second!.y).toBe(first!.y);
    const dir = mkdtempSync(join(tmpdir(), 'invitations-'));
    writeFileSync(join(dir, 'invitations.pdf'), await desk.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    expect(execFileSync('pdfinfo', [join(dir, 'invitations.pdf')]).toString()).toMatch(/Pages:\s+2\b/);
    expect(execFileSync('pdfinfo', [join(dir, 'invitations.pdf')]).toString()).toMatch(/Page size:.*\(A4\)/);
    const printed = execFileSync('pdftotext', [join(dir, 'invitations.pdf'), '-']).toString();
    for (const name of ['Jan de Vries', 'Éva Ébène', 'Pieter Bakker', 'Sanne Kuipers', 'Ahmed El Amrani', 'Noor Hendriks', 'Lotte de Graaf']) expect(printed).toContain(name);
    await desk.emulateMedia({ media: 'screen' });

    // Before the day: Éva opens her invitation on her phone, consents and submits her thesis.
    const evaPhone = await phone();
    await evaPhone.goto(evaLink, { waitUntil: 'networkidle' });
    expect(await evaPhone.getByRole('heading', { level: 1 }).textContent()).toBe('Uitnodiging voor “Rondetafel weerbaarheid”');
    await evaPhone.getByLabel(/U mag mij vermelden/).check();
    await evaPhone.getByRole('button', { name: 'Dit ben ik: verder' }).click();
    const thesisField = evaPhone.getByLabel(/De stelling die u meeneemt/);
    await thesisField.waitFor();
    await thesisField.fill('Elke organisatie moet jaarlijks een dag zonder IT oefenen.');
    await evaPhone.getByRole('button', { name: 'Stelling insturen' }).click();
    await expect.poll(() => evaPhone.getByRole('status').textContent()).toBe('Uw stelling is ingestuurd.');
    expect(await evaPhone.getByRole('listitem').allTextContents()).toEqual(['Elke organisatie moet jaarlijks een dag zonder IT oefenen.']);
    let guests = (await api('GET', `/events/${eventId}/guests`, undefined, token)).body as { name: string; claimed: boolean; attended: boolean; listed: boolean }[];
    expect(guests.find((g) => g.name === 'Éva Ébène')).toMatchObject({ claimed: true, attended: false, listed: true });

    // The day: the event is live. Éva opens her invitation again and is checked in.
    await api('POST', `/events/${eventId}/status`, { status: 'live' }, token);
    await evaPhone.goto(evaLink, { waitUntil: 'networkidle' });
    await evaPhone.getByRole('link', { name: 'Naar het evenement' }).click();
    await evaPhone.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });

    // Jan joins by code, types his initial, and picks his name from the candidates.
    const janPhone = await phone();
    await typeName(janPhone, 'j. de vries');
    const janChoice = janPhone.getByRole('radio', { name: /Jan de Vries · Rabobank/ });
    await janChoice.waitFor();
    expect(await janChoice.isChecked()).toBe(true);
    expect(await janPhone.getByRole('radio').count()).toBe(2);
    await janPhone.getByRole('button', { name: 'Meedoen' }).click();
    await janPhone.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });

    // Another phone typing Jan's name sees it taken, and is refused with a sentence.
    const otherPhone = await phone();
    await typeName(otherPhone, 'Jan de Vries', false);
    const taken = otherPhone.getByRole('radio', { name: /Jan de Vries · Rabobank/ });
    await taken.waitFor();
    expect(await taken.isDisabled()).toBe(true);
    expect(await otherPhone.getByText('doet al mee op een andere telefoon').count()).toBe(1);
    await otherPhone.getByRole('button', { name: 'Meedoen' }).click();
    await expect.poll(() => otherPhone.getByRole('alert').textContent()).toBe('Jan de Vries doet al mee op een andere telefoon. Bent u dat, vraag dan de organisator de naam vrij te geven.');

    // A walk-in, and Pieter under his nickname (no guest fits "Piet", so he walks in too).
    const karinPhone = await phone();
    await typeName(karinPhone, 'Karin Smeets', true, 'Deloitte');
    await karinPhone.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });
    const pietPhone = await phone();
    await typeName(pietPhone, 'Piet');
    await pietPhone.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });

    // The organiser sees Piet is Pieter Bakker and merges him.
    await desk.goto(`${base}/e/${eventId}`, { waitUntil: 'networkidle' });
    await desk.getByLabel('Behoud').selectOption({ label: 'Pieter Bakker · ASML · genodigd' });
    await desk.getByLabel('en voeg hierin samen').selectOption({ label: 'Piet · zonder uitnodiging' });
    await desk.getByRole('button', { name: 'Samenvoegen' }).click();
    await expect.poll(() => desk.getByText('Piet', { exact: true }).count()).toBe(0);
    guests = (await api('GET', `/events/${eventId}/guests`, undefined, token)).body;
    expect(guests.filter((g) => g.attended).map((g) => g.name)).toEqual(['Jan de Vries', 'Éva Ébène', 'Pieter Bakker']);

    // The recap draft: each person once, with organisation and job title; the introduction counts people.
    await desk.goto(`${base}/e/${eventId}/recap`, { waitUntil: 'networkidle' });
    await desk.getByRole('button', { name: 'Concept maken uit de gegevens van de dag' }).click();
    // The editor holds the recap part by part: its parts' texts together are the draft.
    const parts = desk.getByRole('textbox', { name: /^Tekst van „/ });
    const draft = async () => (await parts.evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value))).join('\n\n');
    await expect.poll(() => parts.count()).toBeGreaterThan(2);
    await expect.poll(draft).toContain('| Jan de Vries |');
    const text = await draft();
    expect(text).toMatch(/vier deelnemers/);
    for (const row of ['| Jan de Vries | Rabobank | CIO |', '| Éva Ébène | Erasmus MC | CISO |', '| Pieter Bakker | ASML | architect |', '| Karin Smeets | Deloitte |  |']) {
      expect(text.split(row).length - 1, row).toBe(1);
    }
    for (const absent of ['Piet |', 'Sanne Kuipers', 'Ahmed El Amrani', 'Noor Hendriks', 'Lotte de Graaf', 'andere deelnemer']) expect(text, absent).not.toContain(absent);
    expect(violations).toEqual([]);
  }, 240_000);
});

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, translator, type Message } from '../../src/lib/i18n';
import type { Language } from '../../src/lib/domain';
import { hasChromium, launchChromium, phoneViewport } from '../helpers/browser';
import { apiClient, organiser, startServer, type TestServer } from '../helpers/server';

/**
 * A Dutch and an English day driven through every page in Chromium: sign-in, the organiser's list,
 * Prepare, the chair console, notes, the recap editor, the projector, the join page, the phone, the
 * public recap and its downloads, an error page and the first-run setup. On every page: `<html lang>`
 * is the page's language, no text of the other language's catalogue is seen or heard (visible text,
 * aria-labels, titles, placeholders, alt texts), and axe finds no serious or critical violation.
 */
const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const screenshots = process.env.KENNISDAG_SCREENSHOTS;
const other = (lang: Language): Language => (lang === 'nl' ? 'en' : 'nl');
const browserLocale = (lang: Language) => (lang === 'nl' ? 'nl-NL' : 'en-GB');

/** What users typed that happens to be a word of a catalogue: the test organiser's name (from its e-mail). */
const userContent = new Set(['organiser']);

const texts = (message: Message) => (typeof message === 'string' ? [message] : [message.one, message.other]);

/** The other language's texts that this language never uses, as tests on one text seen on a page. */
function foreignTexts(lang: Language): { text: string; test: (seen: string) => boolean }[] {
  const own = new Set(Object.values(catalogue(lang)).flatMap(texts));
  const foreign = [...new Set(Object.values(catalogue(other(lang))).flatMap(texts))].filter((text) => !own.has(text));
  return foreign.flatMap((text) => {
    if (!text.includes('{')) return [{ text, test: (seen: string) => seen === text || (text.length >= 12 && seen.includes(text)) }];
    const fixed = text.split(/\{\w+\}/);
    if (fixed.join('').replace(/[\s\p{P}]/gu, '').length < 6) return [];
    const pattern = new RegExp(`^${fixed.map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('.+')}$`, 's');
    return [{ text, test: (seen: string) => pattern.test(seen) }];
  });
}

/** What a reader sees or a screen reader says on the page. */
const seenOnPage = () => {
  const out: string[] = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement?.closest('script, style, template')) continue;
    const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  const attributes = ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription', 'aria-valuetext'];
  for (const element of document.querySelectorAll(attributes.map((a) => `[${a}]`).join(','))) {
    for (const name of attributes) {
      const value = element.getAttribute(name)?.trim();
      if (value) out.push(value);
    }
  }
  for (const input of document.querySelectorAll<HTMLInputElement>('input[type=submit], input[type=button]')) out.push(input.value);
  return out;
};

describe.runIf(hasChromium)('Dutch means Dutch, English means English: every page in Chromium', () => {
  let server: TestServer;
  let fresh: TestServer;
  let browser: Browser;
  let api: ReturnType<typeof apiClient>;
  let token: string;
  const contexts: BrowserContext[] = [];
  const audited: string[] = [];
  /** What the audits found, reported together at the end of each day, so one run shows every page's findings. */
  let problems: string[] = [];

  beforeAll(async () => {
    [server, fresh] = await Promise.all([startServer(), startServer({ KENNISDAG_ORGANISER_EMAIL: '', KENNISDAG_ORGANISER_PASSWORD: '' })]);
    api = apiClient(server.url);
    token = (await api('POST', '/auth/sign-in', organiser)).body.token;
    browser = await launchChromium();
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), fresh?.stop()]);
  });

  /** A browser of a reader of this language; axe is injected into its pages, so they run it past the CSP. */
  async function reader(lang: Language, options: Record<string, unknown> = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options, locale: browserLocale(lang), bypassCSP: true });
    contexts.push(context);
    return context.newPage();
  }

  /** The checks every page gets, after it has settled. */
  async function audit(page: Page, lang: Language, name: string) {
    await page.waitForLoadState('networkidle');
    const where = `${lang} ${name} (${page.url()})`;
    const htmlLang = await page.evaluate(() => document.documentElement.lang);
    if (htmlLang !== lang) problems.push(`${where}: <html lang="${htmlLang}">`);
    const seen = (await page.evaluate(seenOnPage)).filter((text) => !userContent.has(text));
    for (const leak of foreignTexts(lang).filter((foreign) => seen.some((text) => foreign.test(text)))) problems.push(`${where}: “${leak.text}”`);
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    for (const violation of violations) problems.push(`${where}: axe ${violation}`);
    if (screenshots) await page.screenshot({ path: join(screenshots, `${lang}-${name}.png`), fullPage: true });
    audited.push(`${lang}:${name}`);
  }

  it.each(['nl', 'en'] as const)('a day in %s, page by page', async (lang) => {
    const t = translator(lang);
    const base = server.url;
    problems = [];
    const nl = lang === 'nl';

    // The event, prepared through the API: details, an agenda item, two theses on the list, one under discussion.
    const event = (
      await api(
        'POST',
        '/events',
        nl
          ? { title: 'Kennisdag Utrecht', date: '2026-11-25', language: 'nl', venue: 'Stadhuis', question: 'Hoe werken we slimmer samen?' }
          : { title: 'Knowledge day Leeds', date: '2026-11-25', language: 'en', venue: 'Town hall', question: 'How do we work together better?' },
        token
      )
    ).body as { id: string; code: string };
    await api('POST', `/events/${event.id}/agenda`, { title: nl ? 'Opening' : 'Welcome', kind: 'talk', speaker: 'Ada', plannedMinutes: 10 }, token);
    const statements = nl ? ['Elke vergadering heeft een doel nodig.', 'Thuiswerken is de norm.'] : ['Every meeting needs a goal.', 'Working from home is the norm.'];
    const theses: { id: string }[] = [];
    for (const text of statements) {
      const thesis = (await api('POST', `/events/${event.id}/theses`, { text }, token)).body;
      await api('POST', `/events/${event.id}/theses/${thesis.id}/moderate`, { status: 'approved' }, token);
      theses.push(thesis);
    }
    await api('POST', `/events/${event.id}/theses/${theses[0].id}/start`, {}, token);

    // Before anything: the start page, sign-in, an unknown code, and the first-run setup elsewhere.
    const visitor = await reader(lang, phoneViewport);
    await visitor.goto(`${base}/`, { waitUntil: 'networkidle' });
    await audit(visitor, lang, 'start');
    await visitor.goto(`${base}/join/ZZZZZZ`, { waitUntil: 'networkidle' });
    expect(await visitor.getByText(t('refusal.noEvent')).count()).toBe(1);
    await audit(visitor, lang, 'error');
    const setup = await reader(lang);
    await setup.goto(`${fresh.url}/setup`, { waitUntil: 'networkidle' });
    expect(await setup.getByRole('heading', { name: t('setup.title') }).count()).toBe(1);
    await audit(setup, lang, 'setup');

    // The organiser signs in with the words of their language.
    const staff = await reader(lang);
    await staff.goto(`${base}/signin`, { waitUntil: 'networkidle' });
    await audit(staff, lang, 'signin');
    await staff.getByLabel(t('signin.email')).fill(organiser.email);
    await staff.getByLabel(t('signin.password')).fill(organiser.password);
    await staff.getByRole('button', { name: t('signin.submit') }).click();
    await staff.waitForURL(`${base}/organise`, { waitUntil: 'commit' });
    await audit(staff, lang, 'organise');
    await staff.goto(`${base}/e/${event.id}`, { waitUntil: 'networkidle' });
    await audit(staff, lang, 'prepare');

    // A phone joins on the join page, in the event's language.
    const phone = await reader(lang, phoneViewport);
    await phone.goto(`${base}/join/${event.code}`, { waitUntil: 'networkidle' });
    await audit(phone, lang, 'join');
    await phone.getByLabel(t('join.name'), { exact: true }).fill('Pia');
    await phone.getByRole('button', { name: t('join.enter') }).click();
    await phone.waitForURL(`${base}/m/${event.id}`, { waitUntil: 'commit' });

    // The chair opens a 0–10 poll from the console; the phone votes 7; the console and projector count it.
    await staff.goto(`${base}/e/${event.id}/chair`, { waitUntil: 'networkidle' });
    await staff.getByLabel(t('poll.kindLabel')).selectOption('scale10');
    await staff.getByRole('button', { name: `${t('chair.openPoll')} (O)` }).click();
    await expect.poll(() => phone.getByRole('button', { name: '7', exact: true }).count()).toBe(1);
    await phone.getByRole('button', { name: '7', exact: true }).click();
    await expect.poll(() => phone.getByText(t('phone.voters', { n: 1 })).count()).toBe(1);
    await audit(phone, lang, 'phone');
    await expect.poll(() => staff.getByTestId('chair-voters').textContent()).toMatch(/^1 /);
    expect(await staff.getByText(`(${t('poll.status.open')})`).count()).toBe(1);
    await audit(staff, lang, 'chair');
    const { url: projectorUrl } = (await api('GET', `/events/${event.id}/projector`, undefined, token)).body;
    const projector = await reader(lang, { viewport: { width: 1920, height: 1080 } });
    await projector.goto(projectorUrl.replace(/^https?:\/\/[^/]+/, base), { waitUntil: 'networkidle' });
    await expect.poll(() => projector.getByTestId('voters').count()).toBe(1);
    await audit(projector, lang, 'projector');

    // Notes under the thesis, then the poll closes and the discussion ends.
    await staff.goto(`${base}/e/${event.id}/notes`, { waitUntil: 'networkidle' });
    await staff.getByPlaceholder(t('notes.placeholder')).fill(nl ? 'Een doel maakt de vergadering korter.' : 'A goal makes the meeting shorter.');
    await staff.getByPlaceholder(t('notes.placeholder')).press('Enter');
    await expect.poll(() => staff.getByText(nl ? 'Een doel maakt de vergadering korter.' : 'A goal makes the meeting shorter.').count()).toBe(1);
    await audit(staff, lang, 'notes');
    const state = (await api('GET', `/events/${event.id}/state`, undefined, token)).body;
    await api('POST', `/events/${event.id}/polls/${state.openPoll.id}/close`, {}, token);
    await api('POST', `/events/${event.id}/theses/${theses[0].id}/finish`, {}, token);

    // The recap, drafted and published in the editor; its chart says its numbers the language's way.
    await staff.goto(`${base}/e/${event.id}/recap`, { waitUntil: 'networkidle' });
    await staff.getByRole('button', { name: t('recap.draftBuiltin') }).click();
    await staff.waitForURL(/\?version=/);
    await expect.poll(() => staff.getByTestId('recap-part').count()).toBeGreaterThan(3);
    const average = nl ? 'Het gemiddelde was 7,0.' : 'The average was 7.0.';
    await expect.poll(() => staff.getByText(average).count()).toBeGreaterThan(0);
    await audit(staff, lang, 'recap');
    await staff.getByRole('button', { name: t('recap.publish'), exact: true }).click();
    const publicLink = staff.getByRole('link', { name: /\/r\// });
    await expect.poll(() => publicLink.count()).toBe(1);
    const slugPath = (await publicLink.getAttribute('href'))!;

    // Anyone with the address reads it and downloads the PDF and the DOCX.
    const guest = await reader(lang);
    await guest.goto(`${base}${slugPath}`, { waitUntil: 'networkidle' });
    await audit(guest, lang, 'public-recap');
    const [download] = await Promise.all([guest.waitForEvent('download'), guest.getByRole('link', { name: t('recap.downloadPdf'), exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = await fetch(`${base}${slugPath}/download/pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await fetch(`${base}${slugPath}/download/docx`);
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');

    // Unpublished, it is downloadable by nobody at that address.
    const versions = (await api('GET', `/events/${event.id}/recaps`, undefined, token)).body as { id: string; status: string }[];
    await api('POST', `/events/${event.id}/recaps/${versions.find((v) => v.status === 'published')!.id}/unpublish`, {}, token);
    expect((await fetch(`${base}${slugPath}/download/pdf`)).status).toBe(404);
    expect((await fetch(`${base}${slugPath}`)).status).toBe(404);
    expect(problems).toEqual([]);
  }, 300_000);

  it('audited every page in both languages', () => {
    const pages = ['start', 'error', 'setup', 'signin', 'organise', 'prepare', 'join', 'phone', 'chair', 'projector', 'notes', 'recap', 'public-recap'];
    expect(audited.sort()).toEqual(['nl', 'en'].flatMap((lang) => pages.map((page) => `${lang}:${page}`)).sort());
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  });
});

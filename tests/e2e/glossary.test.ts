import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, signInAsOrganiser } from '../helpers/browser';
import { serverWithBrowser } from '../helpers/screen';

/**
 * The organiser's glossary on the recap page, in real Chromium, with and without JavaScript: a wrong
 * line is refused in the event's language with the typed text kept, a right list is saved, and the
 * next draft writes the abbreviations out.
 */
const archive = JSON.parse(readFileSync(new URL('../fixtures/terse-notes.nl.json', import.meta.url), 'utf8'));

describe.runIf(hasChromium)('the event glossary in the browser', () => {
  const world = serverWithBrowser();
  let eventId: string;

  beforeAll(async () => {
    eventId = (await world.api('POST', '/events/import', archive, world.token)).body.id;
  });

  async function signedIn(javaScriptEnabled: boolean): Promise<Page> {
    const page = await world.open({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
    await signInAsOrganiser(page, world.server.url);
    await page.goto(`${world.server.url}/e/${eventId}/recap`, { waitUntil: 'networkidle' });
    return page;
  }

  it('refuses a wrong line without JavaScript, keeping what was typed', async () => {
    const page = await signedIn(false);
    const typed = 'SM = sociale media\nAVG Algemene verordening gegevensbescherming';
    await page.getByLabel(/De concepten schrijven deze voluit/).fill(typed);
    await page.getByRole('button', { name: 'Afkortingen opslaan' }).click();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('alert').textContent()).toBe('Regel 2 heeft geen “=”: schrijf bijvoorbeeld “SM = sociale media”.');
    expect(await page.getByLabel(/De concepten schrijven deze voluit/).inputValue()).toBe(typed);
    await page.context().close();
  });

  it('saves the list and the next draft writes the abbreviations out', async () => {
    const page = await signedIn(true);
    const field = page.getByLabel(/De concepten schrijven deze voluit/);
    await field.fill('SM = sociale media\nAVG Algemene verordening gegevensbescherming');
    await page.getByRole('button', { name: 'Afkortingen opslaan' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await field.inputValue()).toContain('AVG Algemene verordening');

    await field.fill('SM = sociale media\nAVG = Algemene verordening gegevensbescherming');
    await page.getByRole('button', { name: 'Afkortingen opslaan' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Afkortingen opgeslagen' }).count()).toBe(1);
    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getByLabel(/De concepten schrijven deze voluit/).inputValue()).toBe('SM = sociale media\nAVG = Algemene verordening gegevensbescherming');

    await page.getByRole('button', { name: 'Concept maken uit de gegevens van de dag' }).click();
    // The previews of every part of the recap.
    const previews = page.locator('article.recap-preview');
    await expect.poll(() => previews.filter({ hasText: /jongeren zien sociale media als normaal, deel van hun cultuur\./ }).count()).toBe(1);
    const text = (await previews.allTextContents()).join(' ');
    expect(text).toContain('In verband met Algemene verordening gegevensbescherming ook vastleggen wat je monitort en waarom.');
    expect(text).not.toMatch(/\bSM\b|\bAVG\b|\bipv\b/);
    await page.context().close();
  });
});

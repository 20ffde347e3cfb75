import { describe, expect, it } from 'vitest';
import { translator } from '../../src/lib/i18n';
import { hasChromium, phoneViewport, signInAsOrganiser } from '../helpers/browser';
import { joinInBrowser, serverWithBrowser } from '../helpers/screen';

/**
 * A Dutch phone in Chromium: a thesis sent without a network is listed at once as waiting to be sent
 * (and nothing throws), the poll does not repeat the thesis above it, and when the day ends the phone
 * thanks the participant and, the moment the recap is published, links to it.
 */
const thesis = 'Elke vergadering heeft een doel nodig.';
/** The Dutch catalogue: the staff pages of a Dutch event speak Dutch. */
const nl = translator('nl');

describe.runIf(hasChromium)('the phone', () => {
  const world = serverWithBrowser('nl-NL');

  it('lists a thesis sent offline at once, does not repeat the thesis in its poll, and ends the day with the recap', async () => {
    const { api, token, open } = world;
    const base = world.server.url;
    const event = (await api('POST', '/events', { title: 'Telefoondag', language: 'nl' }, token)).body as { id: string; code: string };
    const thesisId = (await api('POST', `/events/${event.id}/theses`, { text: thesis }, token)).body.id as string;
    await api('POST', `/events/${event.id}/theses/${thesisId}/start`, {}, token);

    const phone = await open(phoneViewport);
    const errors: string[] = [];
    phone.on('pageerror', (error) => errors.push(error.message));
    await joinInBrowser(phone, base, event.code, 'Telefoon', true);
    await expect.poll(() => phone.getByRole('heading', { name: thesis }).count()).toBe(1);

    // Without a network the thesis is in the list at once, as waiting to be sent.
    await phone.context().setOffline(true);
    await expect.poll(() => phone.getByRole('status').filter({ hasText: 'Wachten op netwerk' }).count()).toBe(1);
    const mine = 'Vergaderingen zonder agenda moeten worden geschrapt.';
    await phone.getByPlaceholder('Een uitspraak waar de zaal het mee eens of oneens kan zijn').fill(mine);
    await phone.getByRole('button', { name: 'Versturen', exact: true }).click();
    const listed = phone.getByTestId('my-thesis').filter({ hasText: mine });
    await expect.poll(() => listed.textContent(), { timeout: 3000 }).toContain('wacht op verzending');
    await phone.waitForTimeout(500);
    expect(errors).toEqual([]);
    // Back online it is delivered, once, and the list says the chair has it.
    await phone.context().setOffline(false);
    await expect.poll(() => listed.textContent()).toContain('wacht op de voorzitter');
    expect(await listed.count()).toBe(1);
    const submitted = (await api('GET', `/events/${event.id}/state`, undefined, token)).body.theses.filter((t: { text: string }) => t.text === mine);
    expect(submitted).toHaveLength(1);

    // The poll under the thesis says which moment it is, not the thesis a second time.
    await api('POST', `/events/${event.id}/polls`, { thesisId, kind: 'agree5', phase: 'before' }, token);
    await expect.poll(() => phone.getByRole('button', { name: 'Eens', exact: true }).count()).toBe(1);
    expect((await phone.getByTestId('poll-label').textContent())?.trim()).toBe('Voor de discussie');
    expect(await phone.getByText(thesis).count()).toBe(1);
    await phone.getByRole('button', { name: 'Helemaal eens', exact: true }).click();
    await expect.poll(() => phone.getByText('Uw stem is binnen.', { exact: false }).count()).toBe(1);

    // The organiser ends the day on the Prepare page: the phone thanks, and says the recap follows.
    const organiserPage = await open({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    await signInAsOrganiser(organiserPage, base);
    await organiserPage.goto(`${base}/e/${event.id}`, { waitUntil: 'networkidle' });
    await organiserPage.getByRole('button', { name: nl('event.status.closed'), exact: true }).click();
    const end = phone.getByTestId('end-of-day');
    await expect.poll(() => end.getByRole('heading', { name: 'Bedankt voor uw deelname!' }).count()).toBe(1);
    await expect.poll(() => end.getByRole('status').textContent()).toBe('Het verslag volgt: de link verschijnt hier zodra het gepubliceerd is.');
    expect(await phone.getByRole('button', { name: 'Versturen' }).count()).toBe(0);

    // Publishing the recap puts its link on the phone, live.
    await organiserPage.goto(`${base}/e/${event.id}/recap`, { waitUntil: 'networkidle' });
    await organiserPage.getByRole('button', { name: nl('recap.draftBuiltin'), exact: true }).click();
    await organiserPage.waitForURL(/\?version=/);
    await organiserPage.getByRole('button', { name: nl('recap.publish'), exact: true }).click();
    const link = end.getByRole('link', { name: 'Lees het verslag' });
    await expect.poll(() => link.count()).toBe(1);
    const shots = process.env.KENNISDAG_SCREENSHOTS;
    if (shots) await phone.screenshot({ path: `${shots}/phone-end-of-day.png` });
    await link.click();
    await phone.waitForURL(/\/r\//);
    await expect.poll(() => phone.getByRole('heading', { name: 'Telefoondag' }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 180_000);
});

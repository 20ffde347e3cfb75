import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser';
import { serverWithBrowser, typeCode } from '../helpers/screen';

/**
 * A Dutch phone on bad venue wifi, in real Chromium with its offline emulation: the phone page opens
 * again without a network, says when it shows a saved copy, offers no vote on a poll it cannot know
 * is open, clears its banner when the network is back, and names a vote the server refused.
 */
const thesis = 'Elke vergadering heeft een doel nodig.';

describe.runIf(hasChromium)('a phone without a network', () => {
  const world = serverWithBrowser();

  it('reopens from a saved copy, votes only on what it knows is open, and recovers when the network is back', async () => {
    const { api, token: org, browser } = world;
    const base = world.server.url;
    const event = (await api('POST', '/events', { title: 'Wifi-dag', date: '2026-11-26', language: 'nl' }, org)).body;
    const thesisId = (await api('POST', `/events/${event.id}/theses`, { text: thesis }, org)).body.id;
    await api('POST', `/events/${event.id}/theses/${thesisId}/start`, {}, org);
    const openPoll = async () => (await api('POST', `/events/${event.id}/polls`, { thesisId, kind: 'yes_no' }, org)).body.id as string;
    const closePoll = (pollId: string) => api('POST', `/events/${event.id}/polls/${pollId}/close`, {}, org);

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'nl-NL' });
    const phone: Page = await context.newPage();
    await typeCode(phone, base, event.code, true);
    await phone.getByLabel('Uw naam', { exact: true }).fill('Telefoon');
    await phone.getByRole('button', { name: 'Meedoen' }).click();
    await phone.waitForURL(`${base}/m/${event.id}`, { waitUntil: 'commit' });
    const heading = phone.getByRole('heading', { name: thesis });
    await expect.poll(() => heading.count()).toBe(1);
    const banner = phone.getByRole('status');
    const saved = phone.getByText(/^Opgeslagen versie van \d\d:\d\d, niet live/);

    // The phone page was reached within the app (from the join form): it is saved all the same.
    await expect.poll(() => phone.evaluate(async () => Boolean(await caches.match(location.pathname))), { message: 'the phone page is saved for offline use' }).toBe(true);
    await context.setOffline(true);
    await phone.reload();
    await expect.poll(() => heading.count()).toBe(1);
    await expect.poll(() => saved.count()).toBe(1);
    await context.setOffline(false);
    await expect.poll(() => saved.count()).toBe(0);

    // Without a network a banner says so; it goes once the network is back.
    const first = await openPoll();
    await expect.poll(() => phone.getByRole('button', { name: 'Ja', exact: true }).count()).toBe(1);
    await context.setOffline(true);
    await expect.poll(() => banner.filter({ hasText: 'Wachten op netwerk' }).count()).toBe(1);
    await context.setOffline(false);
    await expect.poll(() => banner.count()).toBe(0);

    // A vote made offline waits in the outbox; the poll closes meanwhile: the phone says which vote failed.
    await context.setOffline(true);
    await expect.poll(() => banner.filter({ hasText: 'Wachten op netwerk' }).count()).toBe(1);
    await phone.getByRole('button', { name: 'Ja', exact: true }).click();
    await expect.poll(() => banner.filter({ hasText: '1 wacht op verzending' }).count()).toBe(1);
    await closePoll(first);
    await context.setOffline(false);
    await expect.poll(() => phone.getByRole('alert').filter({ hasText: `Uw stem „Ja” op „${thesis}” is niet aangenomen: Deze peiling is gesloten.` }).count()).toBe(1);
    await expect.poll(() => banner.count()).toBe(0);

    // A copy saved while a poll was open, opened after the poll closed: no vote buttons until it is live.
    const second = await openPoll();
    await expect.poll(() => phone.getByRole('button', { name: 'Nee', exact: true }).count()).toBe(1);
    await phone.reload();
    await expect.poll(() => phone.evaluate(async (id) => (await (await caches.match(location.pathname))?.text())?.includes(id) ?? false, second)).toBe(true);
    await context.setOffline(true);
    await closePoll(second);
    await phone.reload();
    await expect.poll(() => saved.count()).toBe(1);
    await expect.poll(() => phone.getByText('U kunt stemmen zodra de verbinding terug is, als de peiling dan nog open is.').count()).toBe(1);
    expect(await phone.getByRole('button', { name: 'Nee', exact: true }).count()).toBe(0);
    await context.setOffline(false);
    await expect.poll(() => phone.getByText('De peiling is gesloten.').count()).toBe(1);
    await expect.poll(() => saved.count()).toBe(0);
    await context.close();
  }, 180_000);
});

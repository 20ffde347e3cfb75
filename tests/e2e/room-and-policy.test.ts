import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, phoneViewport } from '../helpers/browser';
import { serverWithBrowser, typeCode } from '../helpers/screen';
import { organiser } from '../helpers/server';

/**
 * In Chromium with the Content-Security-Policy on: every page of a day works (sign-in, Prepare, the
 * chair console, the projector's QR code, the phone with its live stream and service worker) and
 * the browser reports no violation. On the way, the organiser sets the room's capacity on the
 * Prepare page, a phone too many is turned away, and the chair removes a phone from the console.
 */
describe.runIf(hasChromium)('the room and the content policy in the browser', () => {
  const world = serverWithBrowser();
  const violations: string[] = [];

  const open = async (options = {}) => {
    const page = await world.open(options);
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to load (CSP ${e.violatedDirective}): ${e.blockedURI}`))
    );
    return page;
  };

  const joinByCode = async (phone: Page, code: string, name: string) => {
    await typeCode(phone, world.server.url, code);
    await phone.getByLabel('Your name', { exact: true }).fill(name);
    await phone.getByRole('button', { name: 'Join' }).click();
  };

  it('sets a capacity, turns a phone too many away, removes a phone, and violates no policy', async () => {
    const base = world.server.url;
    const chair = await open({ viewport: { width: 1440, height: 900 } });
    const signin = await chair.goto(`${base}/signin`, { waitUntil: 'networkidle' });
    expect(signin!.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await chair.getByLabel('E-mail').fill(organiser.email);
    await chair.getByLabel('Password').fill(organiser.password);
    await chair.getByRole('button', { name: 'Sign in' }).click();
    await chair.waitForURL(`${base}/organise`, { waitUntil: 'commit' });
    await chair.waitForLoadState('networkidle');
    await chair.getByLabel('Title').fill('Small room');
    await chair.getByLabel('Language').selectOption('en');
    await chair.getByRole('button', { name: 'Create event' }).click();
    await chair.waitForURL(/\/e\/[0-9a-f-]{36}$/, { waitUntil: 'commit' });
    await chair.waitForLoadState('networkidle');
    const eventId = chair.url().split('/').pop()!;
    const code = (await chair.locator('nav span.font-mono').textContent())!.trim();

    // Prepare: room for one phone.
    await chair.getByLabel(/Capacity/).fill('1');
    await chair.getByRole('button', { name: 'Save capacity' }).click();
    await expect.poll(() => chair.getByTestId('room-count').textContent()).toBe('0 of 1 places taken');

    const first = await open(phoneViewport);
    await joinByCode(first, code, 'First phone');
    await first.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });
    await first.waitForLoadState('networkidle');
    // The phone page is an installable app: its service worker runs under the policy.
    expect(await first.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active))).toBe(true);

    const second = await open(phoneViewport);
    await joinByCode(second, code, 'Second phone');
    await expect.poll(() => second.getByRole('alert').textContent()).toMatch(/The room is full: it has room for 1 participants/);
    expect(second.url()).toContain('/join/');

    // The projector shows its QR code.
    const projector = await open({ viewport: { width: 1600, height: 900 } });
    await chair.reload({ waitUntil: 'networkidle' });
    const projectorUrl = (await chair.getByRole('link', { name: /\/p\/.*token=/ }).getAttribute('href'))!;
    await projector.goto(projectorUrl.replace(/^https?:\/\/[^/]+/, base), { waitUntil: 'networkidle' });
    await expect.poll(() => projector.getByText(code).count()).toBeGreaterThan(0);
    expect(await projector.locator('svg path').count()).toBeGreaterThan(0);

    // The chair console lists the phone; the chair removes it.
    await chair.goto(`${base}/e/${eventId}/chair`, { waitUntil: 'networkidle' });
    await expect.poll(() => chair.getByTestId('room-count').textContent()).toMatch(/1 of 1 places taken/);
    chair.once('dialog', (dialog) => void dialog.accept());
    await chair.getByRole('button', { name: 'Remove First phone' }).click();
    await expect.poll(() => chair.getByRole('button', { name: 'Remove First phone' }).count()).toBe(0);
    await expect.poll(() => chair.getByTestId('room-count').textContent()).toMatch(/0 of 1 places taken/);

    // The removed phone is out: a reload takes it back to the start, and it cannot join again.
    await first.reload({ waitUntil: 'networkidle' });
    expect(new URL(first.url()).pathname).toBe('/');
    await joinByCode(first, code, 'First phone again');
    await expect.poll(() => first.getByRole('alert').textContent()).toMatch(/You were removed from this event/);
    // The seat it left is free for the second phone.
    await second.getByRole('button', { name: 'Join' }).click();
    await second.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });

    expect(violations).toEqual([]);
  }, 240_000);
});

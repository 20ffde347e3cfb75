import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { organiser } from './server';

/** Debian's Chromium, never a browser download; the end-to-end tests run where it is installed. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** A phone's screen. */
export const phoneViewport = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'en-GB' };

/** Chromium as the end-to-end tests drive it: headless, quiet, no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  });
}

/** Signs the test organiser in on this page, which ends on /organise. */
export async function signInAsOrganiser(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/signin`, { waitUntil: 'networkidle' });
  await page.getByLabel('E-mail').fill(organiser.email);
  await page.getByLabel('Password').fill(organiser.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/organise`, { waitUntil: 'commit' });
}

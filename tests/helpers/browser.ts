import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { organiser as testOrganiser } from './server';

/** Debian's Chromium (or CHROMIUM_PATH), never a browser download; the end-to-end tests run where it is installed. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** A phone's screen. */
export const phoneViewport = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'en-GB' };

/** Chromium as the end-to-end tests drive it: headless, quiet, no background traffic. */
export function launchChromium(executablePath = chromiumPath): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  });
}

/** Signs an organiser (the test organiser unless told otherwise) in on this page, which ends on /organise. */
export async function signInAsOrganiser(page: Page, base: string, organiser: { email: string; password: string } = testOrganiser): Promise<void> {
  await page.goto(`${base}/signin`, { waitUntil: 'networkidle' });
  await page.getByLabel('E-mail').fill(organiser.email);
  await page.getByLabel('Password').fill(organiser.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/organise`, { waitUntil: 'commit' });
}

/** The chair signs in at `base` and creates an English event; returns its id, join code and projector link. */
export async function createEventAsChair(chair: Page, base: string, organiser: { email: string; password: string }, title: string) {
  await signInAsOrganiser(chair, base, organiser);
  await chair.waitForLoadState('networkidle');
  await chair.getByLabel('Title').fill(title);
  await chair.getByLabel('Language').selectOption('en');
  await chair.getByRole('button', { name: 'Create event' }).click();
  await chair.waitForURL(/\/e\/[0-9a-f-]{36}$/, { waitUntil: 'commit' });
  const eventId = chair.url().split('/').pop()!;
  const code = (await chair.locator('nav span.font-mono').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  const projectorUrl = (await chair.getByRole('link', { name: /\/p\/.*token=/ }).getAttribute('href'))!;
  return { eventId, code, projectorUrl };
}

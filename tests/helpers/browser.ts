import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (or CHROMIUM_PATH), as the end-to-end tests drive it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(executablePath = chromiumPath): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  });
}

/** The chair signs in at `base` and creates an English event; returns its id, join code and projector link. */
export async function createEventAsChair(chair: Page, base: string, organiser: { email: string; password: string }, title: string) {
  await chair.goto(`${base}/signin`, { waitUntil: 'networkidle' });
  await chair.getByLabel('E-mail').fill(organiser.email);
  await chair.getByLabel('Password').fill(organiser.password);
  await chair.getByRole('button', { name: 'Sign in' }).click();
  await chair.waitForURL(`${base}/organise`, { waitUntil: 'commit' });
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

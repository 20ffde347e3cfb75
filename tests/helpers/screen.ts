import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { contrastRatio } from '../../src/lib/contrast';
import { launchChromium } from './browser';
import { startServerWithOrganiser, type Api, type TestServer } from './server';

/** What sticks out of the screen: the page scrolls, or an element's box reaches past the viewport. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const [width, height] = [window.innerWidth, window.innerHeight];
    const root = document.documentElement;
    if (root.scrollHeight > height + 1) problems.push(`the page scrolls: ${root.scrollHeight}px high on a ${height}px screen`);
    if (root.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide on a ${width}px screen`);
    for (const element of document.querySelectorAll('main *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      if (box.right > width + 1 || box.bottom > height + 1 || box.left < -1 || box.top < -1) {
        const text = (element.textContent ?? '').trim().slice(0, 40);
        problems.push(`<${element.tagName.toLowerCase()}> “${text}” at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)}`);
      }
    }
    return problems;
  });
}

/**
 * The colour of every element the selector finds as the eye gets it (its own opacity and its
 * ancestors' blended over what is behind), the colour behind it, and its size. Colours in any CSS
 * notation (Tailwind's oklch) are read back as sRGB through a canvas.
 */
function colours(page: Page, selector: string) {
  return page.evaluate((selector) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const rgba = (colour: string) => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = colour;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const behind = (element: Element | null): number[] => {
      for (let e = element; e; e = e.parentElement) {
        const background = rgba(getComputedStyle(e).backgroundColor);
        if (background[3] > 0.5) return background;
      }
      return [255, 255, 255, 1];
    };
    return [...document.querySelectorAll(selector)].map((element) => {
      const style = getComputedStyle(element);
      let alpha = 1;
      for (let e: Element | null = element; e; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity);
      const [r, g, b, a] = rgba(style.color);
      const background = behind(element);
      const seen = [r, g, b].map((c, i) => Math.round(background[i] + (c - background[i]) * a * alpha));
      return {
        text: (element.textContent ?? '').trim().slice(0, 40),
        colour: `rgb(${seen.join(', ')})`,
        background: `rgb(${background.slice(0, 3).join(', ')})`,
        size: parseFloat(style.fontSize),
        weight: Number(style.fontWeight)
      };
    });
  }, selector);
}

/**
 * The text the selector finds that falls short of WCAG 2's contrast: 4.5:1, or 3:1 for large text
 * (24px, or 18.66px bold).
 */
export async function lowContrast(page: Page, selector: string): Promise<string[]> {
  const found = await colours(page, selector);
  if (!found.length) throw new Error(`Nothing on the page matches ${selector}`);
  return found
    .map((f) => ({ ...f, ratio: contrastRatio(f.colour, f.background), needed: f.size >= 24 || (f.size >= 18.66 && f.weight >= 700) ? 3 : 4.5 }))
    .filter((f) => f.ratio < f.needed)
    .map((f) => `“${f.text}”: ${f.ratio.toFixed(2)}:1 (${f.colour} on ${f.background}, ${f.size}px), needs ${f.needed}:1`);
}

/** A phone that joins by the API, with its own token. */
export async function joinByApi(base: string, code: string, name: string): Promise<{ token: string; participantId: string }> {
  const response = await fetch(`${base}/api/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kennisdag-device': crypto.randomUUID() },
    body: JSON.stringify({ code, name })
  });
  if (!response.ok) throw new Error(`joining failed: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A phone that joins by the join page, as a participant does after scanning the QR code. */
export async function joinInBrowser(phone: Page, base: string, code: string, name: string, dutch = false): Promise<void> {
  await phone.goto(`${base}/join/${code}`, { waitUntil: 'networkidle' });
  await phone.getByLabel(dutch ? 'Uw naam' : 'Your name', { exact: true }).fill(name);
  await phone.getByRole('button', { name: dutch ? 'Meedoen' : 'Join', exact: true }).click();
  await phone.waitForURL(/\/m\/[0-9a-f-]{36}$/, { waitUntil: 'commit' });
  await phone.waitForLoadState('networkidle');
}

/** A phone types the code on the start page, as a participant does without scanning, and arrives at the join page. */
export async function typeCode(phone: Page, base: string, code: string, dutch = false): Promise<void> {
  await phone.goto(`${base}/`, { waitUntil: 'networkidle' });
  await phone.getByLabel(dutch ? 'Code op het scherm' : 'Code on the screen').fill(code);
  await phone.getByRole('button', { name: dutch ? 'Meedoen' : 'Join' }).click();
  await phone.waitForURL(/\/join\//, { waitUntil: 'commit' });
  await phone.waitForLoadState('networkidle');
}

/**
 * One server with its own database and one Chromium for a suite of end-to-end tests, with the
 * organiser's API token; `open` gives a page in a fresh browser context (its own cookies), closed
 * with the browser.
 */
export function serverWithBrowser(locale = 'en-GB') {
  const world = {} as { server: TestServer; browser: Browser; api: Api; token: string; open(options?: object): Promise<Page> };
  beforeAll(async () => {
    ({ server: world.server, api: world.api, token: world.token } = await startServerWithOrganiser());
    world.browser = await launchChromium();
    world.open = async (options = { viewport: { width: 1440, height: 1000 } }) => (await world.browser.newContext({ locale, ...options })).newPage();
  }, 300_000);
  afterAll(async () => {
    await world.browser?.close();
    await world.server?.stop();
  });
  return world;
}

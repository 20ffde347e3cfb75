import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { SupabaseDataPort } from '../../src/lib/client/data/supabase';
import type { LiveTally } from '../../src/lib/types';
import { createEventAsChair, launchChromium, phoneViewport } from '../helpers/browser';
import { countingProxy, type SeenRequest } from '../helpers/proxy';
import { startServer } from '../helpers/server';

/**
 * A whole knowledge day against a Supabase project: the built app server started on it, a chair, the
 * projector link and a few phones in Chromium, and more phones that run the app's own Supabase data
 * port from Node (supabase-js as in the browser, one client each). It asserts what a room would see and
 * that the app server was never asked for a vote, a state or a tally, and it removes everything it made.
 * The same script runs against the stand-in project in `npm test` and against a real project in
 * `npm run test:supabase`.
 */

export interface Project {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
}

export interface DayOptions {
  browserPhones: number;
  /** At least one. */
  nodePhones: number;
  chromiumPath: string;
  /** A break in the programme, after the thesis went up and before the poll opens (the room idles). */
  pause?(): Promise<void>;
  /** Runs after the day, before the clean-up removes it. */
  beforeCleanUp?(eventId: string): Promise<void>;
}

export interface DayReport {
  eventId: string;
  /** Every request the browsers made to the app server. */
  appRequests: SeenRequest[];
  /** The app server's origin, as the browsers' requests to Supabase name it. */
  appOrigin: string;
  /** Moments the screens were seen to update live, for comparing with token expiries. */
  liveChecks: { what: string; at: number }[];
  /** Accounts the day made (deleted again at the end). */
  userIds: string[];
}

/** A phone without a browser: supabase-js and the app's Supabase data port, as a browser runs them. */
class NodePhone {
  readonly client: SupabaseClient;
  readonly port: SupabaseDataPort;
  readonly tallies: LiveTally[] = [];
  private stop = () => {};
  constructor(project: Project) {
    this.client = createClient(project.url, project.anonKey, { auth: { persistSession: false }, realtime: { transport: WebSocket as never } });
    this.port = new SupabaseDataPort(this.client);
  }
  async join(code: string, name: string): Promise<string> {
    const { eventId } = await this.port.join!(code, { name, organisation: 'Node', role: '', listed: false });
    this.stop = this.port.listen(eventId, 'member', { tally: (t) => this.tallies.push(t) });
    return eventId;
  }
  async userId(): Promise<string> {
    return (await this.client.auth.getSession()).data.session!.user.id;
  }
  close() {
    this.stop();
    void this.client.removeAllChannels();
  }
}

/** What the browsers asked the app server for that belongs to Supabase: votes, theses, state, tallies, streams, joins. */
export function appServerInLivePath(report: DayReport): SeenRequest[] {
  return report.appRequests.filter(
    (r) =>
      /^\/api\/v1\/events\/[^/]+\/(state|stream|theses|polls\/[^/]+\/(votes|results))/.test(r.path) ||
      /\?\/(vote|thesis)/.test(r.path) ||
      (r.method === 'POST' && r.path.startsWith('/join/'))
  );
}

export const emptyReport = (): DayReport => ({ eventId: '', appRequests: [], appOrigin: '', liveChecks: [], userIds: [] });

/** Runs the day; `report` fills in as it goes, so a day that fails still tells what happened. */
export async function runDay(project: Project, options: DayOptions, report: DayReport = emptyReport()): Promise<DayReport> {
  const organiser = { email: `kennisdag-day-${randomBytes(4).toString('hex')}@example.test`, password: randomBytes(12).toString('base64url') };
  const admin = createClient(project.url, project.serviceRoleKey, { auth: { persistSession: false }, realtime: { transport: WebSocket as never } });
  const server = await startServer({
    PUBLIC_SUPABASE_URL: project.url,
    PUBLIC_SUPABASE_ANON_KEY: project.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: project.serviceRoleKey,
    KENNISDAG_ORGANISER_EMAIL: organiser.email,
    KENNISDAG_ORGANISER_PASSWORD: organiser.password
  });
  const proxy = await countingProxy(server.url);
  const base = proxy.url;
  report.appRequests = proxy.requests;
  report.appOrigin = base;
  const liveChecks = report.liveChecks;
  const live = async (what: string, check: () => Promise<unknown>) => {
    await check();
    liveChecks.push({ what, at: Date.now() });
  };
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const nodePhones: NodePhone[] = [];
  let eventId = '';
  const userIds = new Set<string>();
  // The organiser's account exists from the server's start on; known from the start, it is removed even if the day fails early.
  const signedIn = await createClient(project.url, project.anonKey, { auth: { persistSession: false }, realtime: { transport: WebSocket as never } })
    .auth.signInWithPassword(organiser);
  if (signedIn.data.user) userIds.add(signedIn.data.user.id);

  try {
    browser = await launchChromium(options.chromiumPath);
    const open = async (contextOptions = {}) => {
      const context = await browser!.newContext({ locale: 'en-GB', ...contextOptions });
      contexts.push(context);
      return context.newPage();
    };

    // The chair signs in and creates the event.
    const chair = await open({ viewport: { width: 1440, height: 900 } });
    const created = await createEventAsChair(chair, base, organiser, 'Supabase day');
    eventId = report.eventId = created.eventId;
    const { code, projectorUrl } = created;

    // The projector, by its read-only link: it signs in on its own and claims the projector.
    const projector = await open({ viewport: { width: 1600, height: 900 } });
    await projector.goto(projectorUrl.replace(/^https?:\/\/[^/]+/, base));
    await expect.poll(() => projector.getByText(code).count()).toBeGreaterThan(0);

    // Phones join by code in the browser; more phones join from Node.
    const phones: Page[] = [];
    for (let i = 1; i <= options.browserPhones; i++) {
      const phone = await open(phoneViewport);
      await phone.goto(`${base}/join/${code}`, { waitUntil: 'networkidle' });
      await phone.getByLabel('Your name', { exact: true }).fill(`Phone ${i}`);
      await phone.getByRole('button', { name: 'Join' }).click();
      await phone.waitForURL(`${base}/m/${eventId}`, { waitUntil: 'commit' });
      await phone.waitForLoadState('networkidle');
      phones.push(phone);
    }
    for (let i = 1; i <= options.nodePhones; i++) {
      const phone = new NodePhone(project);
      nodePhones.push(phone);
      expect(await phone.join(code, `Node phone ${i}`)).toBe(eventId);
    }
    const present = 1 + options.browserPhones + options.nodePhones;

    // A phone submits a thesis; the chair approves it and starts it (N): projector and phones follow.
    const text = 'Supabase carries the room without the app server.';
    await phones[0].getByPlaceholder('A statement the room can agree or disagree with').fill(text);
    await phones[0].getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => phones[0].getByText('waiting for the chair').count()).toBe(1);
    await chair.goto(`${base}/e/${eventId}/chair`);
    const card = chair.locator(`[data-testid="submitted-thesis"][data-text="${text}"]`);
    await expect.poll(() => card.count()).toBe(1);
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => chair.getByTestId('queued-thesis').count()).toBe(1);
    await live('phone 1 sees its thesis approved', () => expect.poll(() => phones[0].getByText('on the list').count()).toBe(1));
    await chair.locator('body').click({ position: { x: 5, y: 300 } });
    await chair.keyboard.press('n');
    await live('projector shows the thesis', () => expect.poll(() => projector.getByRole('heading', { name: text }).count()).toBe(1));
    await live('phones show the thesis', async () => {
      for (const phone of phones) await expect.poll(() => phone.getByRole('heading', { name: text }).count()).toBe(1);
    });

    await options.pause?.();

    // O opens the poll. A phone that has not voted sees no result; after voting it sees the room's.
    await expect.poll(() => chair.getByRole('heading', { name: `Thesis 1: ${text}` }).count()).toBe(1);
    await chair.keyboard.press('o');
    await live('phones get the poll', async () => {
      for (const phone of phones) await expect.poll(() => phone.getByRole('button', { name: 'Agree', exact: true }).count()).toBe(1);
    });
    const poll = (await nodePhones[0]?.port.state(eventId))?.openPoll?.id;
    expect(await phones[0].getByText('The room so far').count()).toBe(0);
    await phones[0].getByRole('button', { name: 'Strongly agree', exact: true }).click();
    await expect.poll(() => phones[0].getByText('Your vote is in.').count()).toBe(1);
    await live('the voter sees the tally', () => expect.poll(() => phones[0].getByText('1 voter', { exact: true }).count()).toBe(1));
    expect(await phones[1]?.getByText('The room so far').count()).toBe(0);
    await live('the projector counts the vote', () => expect.poll(() => projector.getByTestId('voters').textContent()).toBe(`1 of ${present} voted`));

    // The room votes: the Node phones all at once, then the other browser phones.
    const votes = await Promise.all(
      nodePhones.map((phone, i) =>
        phone.port.deliver({ kind: 'vote', key: `node-${i}`, eventId, pollId: poll!, value: i % 5, queuedAt: Date.now() })
      )
    );
    expect(votes.every((v) => v.ok), JSON.stringify(votes.find((v) => !v.ok))).toBe(true);
    for (const [i, phone] of phones.slice(1).entries()) {
      await phone.getByRole('button', { name: ['Agree', 'Disagree', 'Neutral'][i % 3], exact: true }).click();
      await expect.poll(() => phone.getByText('Your vote is in.').count()).toBe(1);
    }
    const voters = 1 + options.nodePhones + options.browserPhones - 1;
    await live('the projector shows every vote', () =>
      expect.poll(() => projector.getByTestId('voters').textContent(), { timeout: 20_000 }).toBe(`${voters} of ${present} voted`)
    );
    await live('the first voter sees the room\'s tally grow', () =>
      expect.poll(() => phones[0].getByText(`${voters} voters`).count(), { timeout: 20_000 }).toBe(1)
    );
    if (nodePhones.length) {
      await live('the Node phones hear the tally', () =>
        expect.poll(() => nodePhones.every((p) => p.tallies.some((t) => t.pollId === poll)), { timeout: 20_000 }).toBe(true)
      );
    }

    // C closes the poll, F finishes the thesis, and the discussion ends.
    await chair.locator('body').click({ position: { x: 5, y: 300 } });
    await chair.keyboard.press('c');
    await live('phones see the poll closed', async () => {
      for (const phone of phones) await expect.poll(() => phone.getByText('The poll is closed.').count()).toBe(1);
    });
    await chair.keyboard.press('f');
    chair.once('dialog', (dialog) => void dialog.accept());
    await chair.getByRole('button', { name: 'End the discussion' }).click();
    await expect.poll(() => chair.getByText(/Discussed/).count()).toBeGreaterThan(0);

    // The recap, drafted from the day's data and published.
    await chair.goto(`${base}/e/${eventId}/recap`, { waitUntil: 'networkidle' });
    await chair.getByRole('button', { name: 'Draft from the day’s data' }).click();
    const preview = chair.getByRole('article', { name: 'Preview' });
    await expect.poll(() => preview.getByRole('heading', { name: `Thesis 1: ${text}` }).count()).toBe(1);
    await chair.getByRole('button', { name: 'Publish' }).click();
    const publicLink = chair.getByRole('link', { name: /\/r\// });
    await expect.poll(() => publicLink.count()).toBe(1);
    const visitor = await open();
    await visitor.goto(`${base}${await publicLink.getAttribute('href')}`);
    await expect.poll(() => visitor.getByRole('heading', { name: `Thesis 1: ${text}` }).count()).toBe(1);

    await options.beforeCleanUp?.(eventId);
    return report;
  } finally {
    for (const phone of nodePhones) phone.close();
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await proxy.stop();
    await server.stop();
    // Clean up: every account the day made (the organiser, the phones, the projector's own) and the
    // event, which takes everything of the day with it.
    if (eventId) {
      const members = await admin.from('event_members').select('user_id').eq('event_id', eventId);
      const projectors = await admin.from('event_projectors').select('user_id').eq('event_id', eventId);
      for (const row of [...(members.data ?? []), ...(projectors.data ?? [])]) if (row.user_id) userIds.add(row.user_id);
      const { error } = await admin.from('events').delete().eq('id', eventId);
      if (error) console.error(`Could not delete event ${eventId}: ${error.message}`);
    }
    for (const phone of nodePhones) userIds.add(await phone.userId().catch(() => ''));
    userIds.delete('');
    report.userIds.push(...userIds);
    for (const id of userIds) {
      const { error } = await admin.auth.admin.deleteUser(id);
      if (error) console.error(`Could not delete account ${id}: ${error.message}`);
    }
  }
}

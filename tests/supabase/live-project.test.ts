import { chromiumPath } from '../helpers/browser';
import { describe, expect, it } from 'vitest';
import { appServerInLivePath, emptyReport, runDay } from './day';

/**
 * `npm run test:supabase`: the day script against a real Supabase project, named by
 * PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY, with the migrations
 * pushed and Auth and Realtime set up as the README's "Deploy on Supabase" says. It is a vitest project
 * of its own ('supabase-project'), which `npm test` does not run; the npm script checks the variables.
 */
const env = process.env;
describe('a knowledge day on the Supabase project in PUBLIC_SUPABASE_URL', () => {
  it('runs 30+ phones, the projector link and a published recap, and leaves nothing behind', async () => {
    const day = emptyReport();
    await runDay(
      { url: env.PUBLIC_SUPABASE_URL!, anonKey: env.PUBLIC_SUPABASE_ANON_KEY!, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY! },
      { browserPhones: 3, nodePhones: Number(env.KENNISDAG_TEST_PHONES ?? 30), chromiumPath },
      day
    );
    expect(appServerInLivePath(day)).toEqual([]);
    console.log(`A day with ${day.userIds.length} accounts ran on ${env.PUBLIC_SUPABASE_URL} and was removed again.`);
  }, 900_000);
});

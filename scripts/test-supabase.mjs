// `npm run test:supabase`: a whole day against a real Supabase project (see the README, "Deploy on
// Supabase"). Without the project's variables it says what to set and stops without failing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ensureInstalled, root } from './prepare.mjs';

const names = ['PUBLIC_SUPABASE_URL', 'PUBLIC_SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY'];
const missing = names.filter((name) => !process.env[name]?.trim());
if (missing.length) {
  console.log(
    `npm run test:supabase runs a whole day against a Supabase project and removes it again. Set ${missing.join(', ')} ` +
      '(Project Settings → API: the project URL, the anon key and the service role key) of a project set up as the README\'s ' +
      '"Deploy on Supabase" says, with at least 40 anonymous sign-ins per hour allowed, and run it again.'
  );
  process.exit(0);
}
ensureInstalled();
ensureBuilt();
const vitest = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'supabase-project'], {
  cwd: root,
  stdio: 'inherit'
});
process.exit(vitest.status ?? 1);

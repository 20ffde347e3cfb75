import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [tailwindcss(), sveltekit()],
  test: {
    expect: { requireAssertions: true },
    projects: [
      {
        extends: './vite.config.ts',
        test: {
          name: 'server',
          environment: 'node',
          include: ['src/**/*.test.ts', 'supabase/tests/**/*.test.ts', 'tests/api/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000
        }
      },
      {
        extends: './vite.config.ts',
        test: {
          name: 'e2e',
          environment: 'node',
          // A busy CI machine runs other suites beside the browser: give live updates room.
          expect: { requireAssertions: true, poll: { timeout: 15_000 } },
          include: ['tests/e2e/**/*.test.ts', 'tests/supabase/**/*.test.ts'],
          exclude: ['tests/supabase/live-project.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false
        }
      },
      {
        extends: './vite.config.ts',
        test: {
          // `npm run test:supabase` only: a day against the real project its variables name.
          name: 'supabase-project',
          environment: 'node',
          include: ['tests/supabase/live-project.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 300_000
        }
      }
    ]
  }
});

// Writes src/lib/database.types.ts from the migrated database (PGlite in memory, as the tests use).
// Vite loads the generator, so it reads the migrations the same way the app does.
import { writeFileSync } from 'node:fs';
import { createServer } from 'vite';

const vite = await createServer({ server: { middlewareMode: true, hmr: false }, appType: 'custom', logLevel: 'error' });
try {
  const { databaseTypes, databaseTypesPath } = await vite.ssrLoadModule('/scripts/database-types.ts');
  writeFileSync(databaseTypesPath, await databaseTypes());
  console.log(`Wrote ${databaseTypesPath}`);
} finally {
  await vite.close();
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { databaseTypes, databaseTypesPath } from '../../scripts/database-types';

describe('the generated database types', () => {
  it('are current: src/lib/database.types.ts is what `npm run gen:types` writes from the migrations now', async () => {
    expect(readFileSync(databaseTypesPath, 'utf8')).toBe(await databaseTypes());
  });
});

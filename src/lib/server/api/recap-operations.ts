import type { Operation } from './operations';

/** The recap's operations (draft, edit, publish, export). */
export const recapOperations: Operation[] = [];

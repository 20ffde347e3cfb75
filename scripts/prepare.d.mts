export const root: string;
export const builtServer: string;
export function run(cmd: string, args: string[], options?: import('node:child_process').SpawnSyncOptions): void;
export function ensureInstalled(): void;
export function buildIsStale(): boolean;
export function ensureBuilt(): void;

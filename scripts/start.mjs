// `npm start`: installs what is missing, builds when the build is missing or older than the sources,
// then serves the app on HOST/PORT (default 0.0.0.0:3000) with the embedded database in ./data.
import { spawn } from 'node:child_process';
import { builtServer, ensureBuilt, ensureInstalled, root } from './prepare.mjs';

ensureInstalled();
ensureBuilt();

const env = { ...process.env, HOST: process.env.HOST ?? '0.0.0.0', PORT: process.env.PORT ?? '3000' };
// Event archives and recap exports are larger than adapter-node's default 512 kB body limit.
env.BODY_SIZE_LIMIT ??= '10M';
const server = spawn(process.execPath, [builtServer], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

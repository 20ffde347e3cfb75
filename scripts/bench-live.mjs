// `npm run bench:live -- --phones N [--database-url URL]`: a hall of N phones on one server.
// Starts the built app (embedded PGlite, or PostgreSQL with --database-url), lets N simulated phones
// join over HTTP and hold the live stream, opens a poll, and has every phone vote within 5 seconds.
// Prints join time, vote acknowledgement latency, vote→projector latency, votes per second, server
// memory, errors and lost votes, beside a baseline measured in the same run: the same number of
// bare vote upserts straight into the same kind of database. Only 127.0.0.1 is contacted, and the
// whole run ends by itself (hard limit: 5 minutes).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtServer, ensureBuilt, ensureInstalled, root } from './prepare.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const phones = Number(option('phones', 2000));
const databaseUrl = option('database-url', undefined);
const voteWindowMs = Number(option('window', 5000));
const joinConcurrency = Number(option('concurrency', 50));
const quiet = args.includes('--json');
const hardLimit = setTimeout(() => {
  console.error('The benchmark took longer than 5 minutes and was stopped.');
  process.exit(2);
}, 300_000);
hardLimit.unref();

const log = (...m) => quiet || console.log(...m);
const organiser = { email: 'bench@example.test', password: 'bench-password' };
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const summary = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), n: values.length });
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—');

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function request(base, method, path, body, headers = {}) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      { method, agent, headers: { ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, body: json });
        });
      }
    );
    req.on('error', (error) => resolve({ status: 0, error: error.code ?? error.message }));
    if (data) req.write(data);
    req.end();
  });
}

/** One Server-Sent Events stream; calls onEvent(name, data) for the events it is asked to parse. */
function openStream(base, path, headers, parse, onEvent) {
  return new Promise((resolve) => {
    const req = http.get(`${base}${path}`, { agent: streamAgent, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve({ ok: false, status: res.statusCode, close() {} });
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        if (!parse) return;
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(message)?.[1];
          if (name && parse.includes(name)) onEvent(name, JSON.parse(/^data: (.*)$/m.exec(message)[1]));
        }
      });
      resolve({ ok: true, close: () => req.destroy() });
    });
    req.on('error', (error) => resolve({ ok: false, status: error.code, close() {} }));
  });
}

function rssOf(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
}

/** The migrations in order, the way the server applies them (compatibility layer first). */
function migrationFiles() {
  const dir = (d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(join(root, d, f), 'utf8'));
  return [...dir('supabase/compat'), ...dir('supabase/migrations')];
}

/** The same number of bare vote upserts, one statement each, straight into the same kind of database. */
async function baseline(count, pgUrl) {
  const schema = `create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);`;
  const setup = `
    insert into auth.users (id) select gen_random_uuid() from generate_series(1, ${count});
    insert into public.events (id, title, join_code) values ('00000000-0000-4000-8000-00000000b001', 'Baseline', 'BASE22');
    insert into public.theses (id, event_id, text, status) values ('00000000-0000-4000-8000-00000000b002', '00000000-0000-4000-8000-00000000b001', 'T', 'approved');
    insert into public.polls (id, event_id, thesis_id, question, kind, options, status, opened_at)
      values ('00000000-0000-4000-8000-00000000b003', '00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000b002', 'T', 'agree5', '{a,b,c,d,e}', 'open', now());`;
  const upsert = `insert into public.votes (poll_id, voter_id, event_id, option_index) values ('00000000-0000-4000-8000-00000000b003', $1, '00000000-0000-4000-8000-00000000b001', $2)
    on conflict (poll_id, voter_id) do update set option_index = excluded.option_index, updated_at = now()`;
  const times = [];
  let elapsed;
  if (pgUrl) {
    const { default: postgres } = await import('postgres');
    const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
    const name = `kd_bench_base_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(schema);
      for (const file of migrationFiles()) await sql.unsafe(file);
      await sql.unsafe(setup);
      const users = (await sql.unsafe('select id from auth.users')).map((r) => r.id);
      const start = performance.now();
      for (let i = 0; i < users.length; i++) {
        const t = performance.now();
        await sql.unsafe(upsert, [users[i], i % 5]);
        times.push(performance.now() - t);
      }
      elapsed = performance.now() - start;
    } finally {
      await sql.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const dir = mkdtempSync(join(tmpdir(), 'kd-bench-base-'));
    const pg = await PGlite.create({ dataDir: dir });
    try {
      await pg.exec(schema);
      for (const file of migrationFiles()) await pg.exec(file);
      await pg.exec(setup);
      const users = (await pg.query('select id from auth.users')).rows.map((r) => r.id);
      const start = performance.now();
      for (let i = 0; i < users.length; i++) {
        const t = performance.now();
        await pg.query(upsert, [users[i], i % 5]);
        times.push(performance.now() - t);
      }
      elapsed = performance.now() - start;
    } finally {
      await pg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { upsert: summary(times), votesPerSecond: (times.length / elapsed) * 1000 };
}

async function main() {
  ensureInstalled();
  ensureBuilt();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kd-bench-'));
  let appDatabase;
  let dropAppDatabase = async () => {};
  if (databaseUrl) {
    const { default: postgres } = await import('postgres');
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const name = `kd_bench_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    appDatabase = url.toString();
    dropAppDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const server = spawn(process.execPath, [builtServer], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      KENNISDAG_DATA_DIR: dataDir,
      KENNISDAG_ORGANISER_EMAIL: organiser.email,
      KENNISDAG_ORGANISER_PASSWORD: organiser.password,
      // Every phone of the benchmark joins from this one machine, as a hall behind one NAT would.
      KENNISDAG_JOINS_PER_ADDRESS: String(Math.max(2500, phones)),
      ...(appDatabase ? { DATABASE_URL: appDatabase } : {})
    },
    stdio: ['ignore', 'pipe', 'inherit']
  });
  server.stdout.resume();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(server.pid))), 200);
  const streams = [];
  const errors = {};
  const error = (stage, what) => (errors[`${stage}: ${what}`] = (errors[`${stage}: ${what}`] ?? 0) + 1);

  try {
    for (let i = 0; ; i++) {
      if ((await request(base, 'GET', '/api/v1/openapi.json')).status === 200) break;
      if (i > 600) throw new Error('The server did not start.');
      await new Promise((r) => setTimeout(r, 100));
    }
    const org = (await request(base, 'POST', '/api/v1/auth/sign-in', organiser)).body.token;
    const auth = { authorization: `Bearer ${org}` };
    const archive = { format: 'kennisdag/event-archive@1', event: { title: 'Benchmark hall', date: '2026-11-25', language: 'en' }, theses: [{ text: 'Everyone votes at once.' }] };
    const event = (await request(base, 'POST', '/api/v1/events/import', archive, auth)).body;
    const state = (await request(base, 'GET', `/api/v1/events/${event.id}/state`, undefined, auth)).body;
    const thesisId = state.theses[0].id;
    const projectorToken = new URL((await request(base, 'GET', `/api/v1/events/${event.id}/projector`, undefined, auth)).body.url).searchParams.get('token');
    const rssIdle = rssOf(server.pid);

    // Phones join, a few dozen at a time, each with its own device id, and open their stream.
    log(`Joining ${phones} phones…`);
    const tokens = new Array(phones);
    const joinTimes = [];
    const joinStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: joinConcurrency }, async () => {
        while (next < phones) {
          const i = next++;
          const t = performance.now();
          const joined = await request(base, 'POST', '/api/v1/join', { code: event.code, name: `Phone ${i + 1}`, organisation: '', role: '', listed: false }, { 'x-kennisdag-device': randomUUID() });
          if (joined.status !== 200) {
            error('join', joined.status || joined.error);
            continue;
          }
          joinTimes.push(performance.now() - t);
          tokens[i] = joined.body.token;
          const stream = await openStream(base, `/api/v1/events/${event.id}/stream`, { authorization: `Bearer ${joined.body.token}` }, null, () => {});
          if (stream.ok) streams.push(stream);
          else error('stream', stream.status);
        }
      })
    );
    const joinTotal = performance.now() - joinStart;
    const rssJoined = rssOf(server.pid);

    // The projector follows the tallies.
    const tallies = [];
    let pollId;
    const projector = await openStream(base, `/api/v1/events/${event.id}/stream?projector=${projectorToken}`, {}, ['tally'], (_, tally) => {
      if (tally.pollId === pollId) tallies.push({ at: performance.now(), total: tally.total });
    });
    if (!projector.ok) error('projector', projector.status);
    streams.push(projector);

    await request(base, 'POST', `/api/v1/events/${event.id}/theses/${thesisId}/start`, {}, auth);
    pollId = (await request(base, 'POST', `/api/v1/events/${event.id}/polls`, { thesisId, kind: 'agree5' }, auth)).body.id;

    // Every phone votes once, spread evenly over the window.
    log(`Voting for ${voteWindowMs / 1000} s…`);
    const acks = [];
    const sent = [0, 0, 0, 0, 0];
    const voteStart = performance.now();
    await Promise.all(
      tokens.map(
        (token, i) =>
          new Promise((resolve) => {
            if (!token) return resolve();
            setTimeout(async () => {
              const value = i % 5;
              const t = performance.now();
              const answer = await request(base, 'POST', `/api/v1/events/${event.id}/polls/${pollId}/votes`, { value, idempotencyKey: randomUUID() }, { authorization: `Bearer ${token}` });
              const at = performance.now();
              if (answer.status === 200) {
                acks.push({ sentAt: t, at, latency: at - t });
                sent[value]++;
              } else error('vote', answer.status || answer.error);
              resolve();
            }, (i / phones) * voteWindowMs);
          })
      )
    );
    const voteEnd = performance.now();
    // Wait for the projector to catch up with every acknowledged vote (at most 5 s more).
    for (let waited = 0; waited < 5000 && (tallies.at(-1)?.total ?? 0) < acks.length; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const rssVoting = peakRss;

    // The k-th acknowledged vote is on the projector once a tally counts at least k votes.
    acks.sort((a, b) => a.at - b.at);
    const toProjector = [];
    let cursor = 0;
    acks.forEach((ack, k) => {
      while (cursor < tallies.length && tallies[cursor].total < k + 1) cursor++;
      const shown = tallies.slice(cursor).find((tally) => tally.at >= ack.sentAt);
      if (shown) toProjector.push(Math.max(0, shown.at - ack.at));
    });
    const unseen = acks.length - toProjector.length;

    const final = (await request(base, 'GET', `/api/v1/events/${event.id}/polls/${pollId}/results`, undefined, auth)).body;
    const lost = acks.length - (final?.total ?? 0);
    const countsMatch = JSON.stringify(final?.counts) === JSON.stringify(sent);

    for (const s of streams) s.close();
    const base_ = await baseline(phones, databaseUrl);

    const result = {
      database: databaseUrl ? 'postgresql' : 'pglite',
      phones,
      joined: joinTimes.length,
      streams: streams.length - 1,
      join: { ...summary(joinTimes), totalMs: Math.round(joinTotal) },
      voteAck: summary(acks.map((a) => a.latency)),
      voteToProjector: summary(toProjector),
      votesPerSecond: Math.round((acks.length / (voteEnd - voteStart)) * 1000),
      acknowledged: acks.length,
      tallies: tallies.length,
      lost,
      countsMatch,
      unseenOnProjector: unseen,
      errors,
      memoryMiB: { idle: Math.round(rssIdle / 2 ** 20), joined: Math.round(rssJoined / 2 ** 20), peak: Math.round(Math.max(rssVoting, peakRss) / 2 ** 20) },
      baseline: { votesPerSecond: Math.round(base_.votesPerSecond), upsert: base_.upsert }
    };

    if (!quiet) {
      const line = (label, s) => `  ${label.padEnd(30)} p50 ${ms(s.p50).padStart(10)}   p95 ${ms(s.p95).padStart(10)}   p99 ${ms(s.p99).padStart(10)}`;
      console.log(`\nKennisdag live load — ${result.phones} phones on ${result.database}`);
      console.log(`  joined                         ${result.joined} in ${(result.join.totalMs / 1000).toFixed(1)} s, ${result.streams} live streams`);
      console.log(line('join', result.join));
      console.log(line('vote acknowledgement', result.voteAck));
      console.log(line('vote → projector', result.voteToProjector));
      console.log(`  votes per second               ${result.votesPerSecond} (window ${voteWindowMs / 1000} s)`);
      console.log(`  projector tallies              ${result.tallies}`);
      console.log(`  lost votes                     ${result.lost} (per-option counts ${result.countsMatch ? 'match' : 'DIFFER'})`);
      console.log(`  errors                         ${Object.keys(errors).length ? JSON.stringify(errors) : 0}`);
      console.log(`  server memory                  idle ${result.memoryMiB.idle} MiB, joined ${result.memoryMiB.joined} MiB, peak ${result.memoryMiB.peak} MiB`);
      console.log(`baseline, same run: ${phones} bare vote upserts into ${result.database}`);
      console.log(`  votes per second               ${result.baseline.votesPerSecond}`);
      console.log(line('upsert', result.baseline.upsert));
      const targets = result.lost === 0 && Object.keys(errors).length === 0 && result.voteToProjector.p95 <= 250 && result.voteToProjector.p99 <= 500;
      console.log(`targets (0 lost, 0 errors, projector p95 ≤ 250 ms, p99 ≤ 500 ms): ${targets ? 'met' : 'NOT met'}`);
    }
    console.log(JSON.stringify(result));
    return result.lost === 0 && Object.keys(errors).length === 0 ? 0 : 1;
  } finally {
    clearInterval(sampler);
    for (const s of streams) s.close();
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (server.exitCode === null) server.kill('SIGKILL');
    await dropAppDatabase().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    agent.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);

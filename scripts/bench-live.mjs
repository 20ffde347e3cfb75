// `npm run bench:live -- [--phones N] [--window MS] [--database-url URL] [--json] [--cpu-prof DIR]`:
// a hall of N phones (default 2,000) on one server. Starts the built app (embedded PGlite, or
// PostgreSQL with --database-url or DATABASE_URL: the run creates a scratch database of its own on
// that server and drops it at the end), lets the phones join over HTTP and hold the live stream, opens a poll,
// and, once every phone shows it, has every phone tap its vote within the window (default 1 s, evenly
// spread). Each phone has its own connection, as a real phone does.
//
// Every latency is measured from the tap, the moment the phone was due to send its vote: vote
// acknowledgement (tap → answer) and tap → projector (tap → the projector's stream shows a tally that
// includes the vote). If the load generator itself falls behind, its lag counts against the server and
// is reported beside the figures. Then a second round measures the capacity: the chair closes the poll
// and opens another, and once every phone shows it every phone taps at the same moment. Capacity is the
// votes that round acknowledged per second from the tap to the last answer, a time during which the
// queue is never empty. (The first round's own rate, the burst throughput, cannot exceed the rate
// offered: every answer takes at least a round trip to the database, so some vote waits during the
// whole window.) The second round's votes count in none of the first round's other figures. Beside
// them: join time, server memory, errors, lost votes, the CPU the votes cost the server, the PostgreSQL
// backends and the load generator,
// and a baseline measured in the same run: the same number of bare vote upserts, one after the other
// (prepared, one round trip each), straight into the same kind of database. `--json` prints one JSON object;
// `--cpu-prof DIR` has the server write V8 CPU profiles (main thread and database worker) into DIR.
// Only 127.0.0.1 is contacted, and the whole run ends by itself (hard limit: 10 minutes).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eventStreamReader, freePort, scratchDatabase, serverEnvironment } from './harness.mjs';
import { builtServer, ensureBuilt, ensureInstalled, root } from './prepare.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const phones = Number(option('phones', 2000));
const databaseUrl = option('database-url', process.env.DATABASE_URL || undefined);
const voteWindowMs = Number(option('window', 1000));
const joinConcurrency = Number(option('concurrency', 50));
const cpuProfileDir = option('cpu-prof', undefined);
const quiet = args.includes('--json');
const hardLimit = setTimeout(() => {
  console.error('The benchmark took longer than 10 minutes and was stopped.');
  process.exit(2);
}, 600_000);
hardLimit.unref();

const log = (...m) => quiet || console.log(...m);
const organiser = { email: 'bench@example.test', password: 'bench-password' };
/** The organiser's connections; each phone gets a connection of its own (phoneAgent). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const phoneAgent = () => new http.Agent({ keepAlive: true, maxSockets: 1 });
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const summary = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), n: values.length });
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—');

/**
 * One HTTP request; never throws. A kept-alive connection the server closed just as it was reused is
 * tried again once on a new one, as browsers do (the server never saw the request).
 */
function request(base, method, path, body, headers = {}, via = agent, retry = true) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      { method, agent: via, headers: { ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers } },
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
    req.on('error', (error) => {
      if (retry && req.reusedSocket && error.code === 'ECONNRESET') resolve(request(base, method, path, body, headers, via, false));
      else resolve({ status: 0, error: error.code ?? error.message });
    });
    if (data) req.write(data);
    req.end();
  });
}

/**
 * One Server-Sent Events stream; calls onEvent(name, data) with the raw data of the events named in
 * `parse`, except between ignore() and read().
 */
function openStream(base, path, headers, parse, onEvent) {
  return new Promise((resolve) => {
    const req = http.get(`${base}${path}`, { agent: streamAgent, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve({ ok: false, status: res.statusCode, close() {}, ignore() {}, read() {} });
      }
      res.setEncoding('utf8');
      const onBlock = (name, data) => {
        if (name && parse?.includes(name)) onEvent(name, data);
      };
      let reader = eventStreamReader(onBlock);
      // An ignored stream's chunks are only taken off the socket, keeping what arrived after the last
      // whole block (or, before one ended, all of it after what the reader held), so that reading can
      // resume where a block begins.
      const names = parse;
      let skipped = '';
      let blockEnded = false;
      res.on('data', (chunk) => {
        if (parse) return reader.push(chunk);
        const end = chunk.lastIndexOf('\n\n');
        skipped = end >= 0 ? chunk.slice(end + 2) : skipped + chunk;
        blockEnded ||= end >= 0;
      });
      resolve({
        ok: true,
        close: () => req.destroy(),
        ignore: () => {
          parse = null;
          skipped = '';
          blockEnded = false;
        },
        read: () => {
          if (parse) return;
          const rest = (blockEnded ? '' : reader.rest) + skipped;
          parse = names;
          reader = eventStreamReader(onBlock);
          reader.push(rest);
        }
      });
    });
    req.on('error', (error) => resolve({ ok: false, status: error.code, close() {}, ignore() {}, read() {} }));
  });
}

function rssOf(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
}

/** CPU time (ms) the server has used: all its threads, and its main thread (the one that serves HTTP). */
function cpuOf(pid) {
  const ticks = (file) => {
    try {
      const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  };
  return { total: ticks(`/proc/${pid}/stat`) * 10, main: ticks(`/proc/${pid}/task/${pid}/stat`) * 10 };
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
  const db = await bareDatabase(pgUrl);
  try {
    await db.exec(schema);
    for (const file of migrationFiles()) await db.exec(file);
    await db.exec(setup);
    const users = (await db.query('select id from auth.users', [])).map((r) => r.id);
    const start = performance.now();
    for (let i = 0; i < users.length; i++) {
      const t = performance.now();
      await db.query(upsert, [users[i], i % 5]);
      times.push(performance.now() - t);
    }
    elapsed = performance.now() - start;
  } finally {
    await db.close();
  }
  return { upsert: summary(times), votesPerSecond: (times.length / elapsed) * 1000 };
}

/** A scratch database of the kind the server runs on (PostgreSQL at pgUrl, else PGlite), reached straight. */
async function bareDatabase(pgUrl) {
  if (pgUrl) {
    const { default: postgres } = await import('postgres');
    const scratch = await scratchDatabase(pgUrl, 'kd_bench_base');
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    return {
      exec: (text) => sql.unsafe(text),
      // Prepared, as a server sending one statement per vote would: one round trip each.
      query: (text, params) => sql.unsafe(text, params, { prepare: params.length > 0 }),
      async close() {
        await sql.end();
        await scratch.drop();
      }
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = mkdtempSync(join(tmpdir(), 'kd-bench-base-'));
  const pg = await PGlite.create({ dataDir: dir });
  return {
    exec: (text) => pg.exec(text),
    query: async (text, params) => (await pg.query(text, params)).rows,
    async close() {
      await pg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function main() {
  ensureInstalled();
  ensureBuilt();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kd-bench-'));
  const appDatabase = databaseUrl ? await scratchDatabase(databaseUrl, 'kd_bench') : undefined;
  const server = spawn(process.execPath, [...(cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : []), builtServer], {
    env: {
      ...serverEnvironment({ port, dataDir, organiser }),
      // Every phone of the benchmark joins from this one machine, as a hall behind one NAT would.
      KENNISDAG_JOINS_PER_ADDRESS: String(Math.max(2500, phones)),
      ...(appDatabase ? { DATABASE_URL: appDatabase.url } : {})
    },
    stdio: ['ignore', 'pipe', 'inherit']
  });
  server.stdout.resume();
  const exited = new Promise((resolve) => server.once('exit', resolve));
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

    // Phones join, a few dozen at a time, each with its own device id and connection, and open their
    // stream, on which each notes when it first shows the poll awaited.
    log(`Joining ${phones} phones…`);
    const joined = new Array(phones);
    let pollId;
    let awaitedPoll;
    let pollShown = 0;
    let allShown = () => {};
    const showPoll = (phone, view) => {
      if (!awaitedPoll || phone.showsPoll === awaitedPoll || !view.includes(awaitedPoll)) return;
      phone.showsPoll = awaitedPoll;
      // From here the phone only keeps its stream open; reading what follows would load the generator.
      phone.stream?.ignore();
      if (++pollShown === joinTimes.length) allShown();
    };
    /** Opens a poll (open() answers its id); a phone can vote once it shows it: waits until every phone does (at most 15 s). */
    const everyPhoneShows = async (open) => {
      awaitedPoll = undefined;
      pollShown = 0;
      const shown = new Promise((resolve) => (allShown = resolve));
      for (const phone of joined) phone?.stream?.read();
      const id = await open();
      awaitedPoll = id;
      for (const phone of joined) if (phone) showPoll(phone, phone.lastView);
      await Promise.race([shown, new Promise((r) => setTimeout(r, 15_000))]);
      for (const phone of joined) {
        if (phone && phone.showsPoll !== id) error('stream', 'poll not shown');
        if (phone) phone.lastView = '';
      }
      return id;
    };
    const joinTimes = [];
    const joinStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: joinConcurrency }, async () => {
        while (next < phones) {
          const i = next++;
          const connection = phoneAgent();
          const device = randomUUID();
          const t = performance.now();
          const answer = await request(base, 'POST', '/api/v1/join', { code: event.code, name: `Phone ${i + 1}`, organisation: '', role: '', listed: false }, { 'x-kennisdag-device': device }, connection);
          if (answer.status !== 200) {
            error('join', answer.status || answer.error);
            continue;
          }
          joinTimes.push(performance.now() - t);
          // From here on the phone speaks as the phone's page does: its session and device cookies, from this site.
          const cookie = `kd_session=${answer.body.token}; kd_device=${device}`;
          const phone = { headers: { cookie, origin: base }, connection, showsPoll: undefined, lastView: '', stream: null };
          joined[i] = phone;
          const stream = await openStream(base, `/api/v1/events/${event.id}/stream`, { cookie }, ['view'], (_, data) => {
            phone.lastView = data;
            showPoll(phone, data);
          });
          phone.stream = stream;
          if (stream.ok) streams.push(stream);
          else error('stream', stream.status);
        }
      })
    );
    const joinTotal = performance.now() - joinStart;
    const rssJoined = rssOf(server.pid);

    // The projector follows the tallies.
    const tallies = [];
    const projector = await openStream(base, `/api/v1/events/${event.id}/stream?projector=${projectorToken}`, {}, ['tally'], (_, data) => {
      const tally = JSON.parse(data);
      if (tally.pollId === pollId) tallies.push({ at: performance.now(), total: tally.total });
    });
    if (!projector.ok) error('projector', projector.status);
    streams.push(projector);

    await request(base, 'POST', `/api/v1/events/${event.id}/theses/${thesisId}/start`, {}, auth);
    /** The chair opens a poll on the thesis (the same options each time); answers its id. */
    const openPoll = async (stage) => {
      const answer = await request(base, 'POST', `/api/v1/events/${event.id}/polls`, { thesisId, kind: 'agree5' }, auth);
      if (answer.status !== 201) error(stage, answer.status || answer.error);
      return answer.body?.id;
    };
    pollId = await everyPhoneShows(() => openPoll('poll'));

    // Every phone taps once, the taps spread evenly over the window; each is timed from its tap.
    log(`Voting within ${voteWindowMs / 1000} s…`);
    const acks = [];
    const lags = [];
    const sent = [0, 0, 0, 0, 0];
    const cpuBefore = cpuOf(server.pid);
    // The PostgreSQL backends serving the app's database, when they run on this machine: their CPU counts too.
    const backends = appDatabase ? (await appDatabase.backends()).filter((pid) => existsSync(`/proc/${pid}`)) : [];
    const databaseCpuBefore = backends.reduce((sum, pid) => sum + cpuOf(pid).total, 0);
    const generatorCpuBefore = process.cpuUsage();
    const voteStart = performance.now();
    await Promise.all(
      joined.map(
        (phone, i) =>
          new Promise((resolve) => {
            if (!phone) return resolve();
            const due = voteStart + (i / phones) * voteWindowMs;
            setTimeout(async () => {
              const value = i % 5;
              // A timer may fire a little early: the tap is when it was due, or when it was sent if earlier.
              const tap = Math.min(due, performance.now());
              lags.push(performance.now() - tap);
              const answer = await request(base, 'POST', `/api/v1/events/${event.id}/polls/${pollId}/votes`, { value, idempotencyKey: randomUUID() }, phone.headers, phone.connection);
              const at = performance.now();
              if (answer.status === 200) {
                acks.push({ tap, at });
                sent[value]++;
              } else error('vote', answer.status || answer.error);
              resolve();
            }, due - performance.now());
          })
      )
    );
    // Wait for the projector to catch up with every acknowledged vote (at most 10 s more).
    for (let waited = 0; waited < 10_000 && (tallies.at(-1)?.total ?? 0) < acks.length; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const rssVoting = peakRss;
    const cpuAfter = cpuOf(server.pid);
    const databaseCpu = backends.reduce((sum, pid) => sum + cpuOf(pid).total, 0) - databaseCpuBefore;
    const generatorCpu = process.cpuUsage(generatorCpuBefore);

    // The votes in the database at any moment are those committed first, so the k-th committed vote is
    // on the projector from the first tally that counts k votes. The order of the acknowledgements
    // stands in for the order of the commits (a batch commits together, so the difference is small).
    acks.sort((a, b) => a.at - b.at);
    const tapToProjector = [];
    const ackToProjector = [];
    let cursor = 0;
    acks.forEach((ack, k) => {
      while (cursor < tallies.length && tallies[cursor].total < k + 1) cursor++;
      const shown = tallies.slice(cursor).find((tally) => tally.at >= ack.tap);
      if (!shown) return;
      tapToProjector.push(shown.at - ack.tap);
      ackToProjector.push(Math.max(0, shown.at - ack.at));
    });
    const unseen = acks.length - tapToProjector.length;

    // Burst throughput: votes acknowledged per second of the time during which some vote waited for its
    // answer. It cannot exceed the rate offered (phones / window): every answer takes at least a round
    // trip to the database, so some vote waits during the whole window however fast the server is; the
    // flood round below measures what the server can take.
    const moments = acks.flatMap((ack) => [{ at: ack.tap, step: 1 }, { at: ack.at, step: -1 }]).sort((a, b) => a.at - b.at || a.step - b.step);
    let waiting = 0;
    let busyMs = 0;
    let busySince = 0;
    for (const { at, step } of moments) {
      if (waiting === 0 && step > 0) busySince = at;
      waiting += step;
      if (waiting === 0) busyMs += at - busySince;
    }
    const burstThroughput = busyMs > 0 ? (acks.length / busyMs) * 1000 : 0;

    /** Acknowledged votes the poll's final results do not count, and whether its per-option counts are those sent. */
    const checkResults = async (id, acknowledged, sentPerOption) => {
      const final = (await request(base, 'GET', `/api/v1/events/${event.id}/polls/${id}/results`, undefined, auth)).body;
      return { lost: acknowledged - (final?.total ?? 0), countsMatch: JSON.stringify(final?.counts) === JSON.stringify(sentPerOption) };
    };
    const { lost, countsMatch } = await checkResults(pollId, acks.length, sent);

    // The flood: the chair closes the poll and opens another; once every phone shows it, every phone taps
    // at the same moment, each on its own connection. From the tap to the last answer the queue is never
    // empty, so the votes acknowledged per second of that time are what the server can take: its capacity.
    log('Every phone votes at once…');
    const closed = await request(base, 'POST', `/api/v1/events/${event.id}/polls/${pollId}/close`, {}, auth);
    if (closed.status !== 200) error('flood poll', closed.status || closed.error);
    const floodPollId = await everyPhoneShows(() => openPoll('flood poll'));
    const floodAcks = [];
    // Other answers than the burst's, so that the counts tell the two polls apart.
    const floodSent = [0, 0, 0, 0, 0];
    const floodStart = performance.now();
    const floodAnswers = [];
    joined.forEach((phone, i) => {
      if (!phone) return;
      const value = i % 3;
      floodAnswers.push(
        request(base, 'POST', `/api/v1/events/${event.id}/polls/${floodPollId}/votes`, { value, idempotencyKey: randomUUID() }, phone.headers, phone.connection).then((answer) => {
          if (answer.status !== 200) return error('flood vote', answer.status || answer.error);
          floodAcks.push(performance.now() - floodStart);
          floodSent[value]++;
        })
      );
    });
    await Promise.all(floodAnswers);
    const floodMs = Math.max(0, ...floodAcks);
    const capacity = floodMs > 0 ? (floodAcks.length / floodMs) * 1000 : 0;
    const flood = await checkResults(floodPollId, floodAcks.length, floodSent);

    for (const s of streams) s.close();
    const base_ = await baseline(phones, databaseUrl);
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);

    const result = {
      database: databaseUrl ? 'postgresql' : 'pglite',
      phones,
      windowMs: voteWindowMs,
      joined: joinTimes.length,
      streams: streams.length - 1,
      join: { ...summary(joinTimes), totalMs: Math.round(joinTotal) },
      tapToProjector: summary(tapToProjector),
      voteAck: summary(acks.map((a) => a.at - a.tap)),
      ackToProjector: summary(ackToProjector),
      generatorLag: { ...summary(lags), max: Math.max(0, ...lags) },
      capacity: Math.round(capacity),
      burstThroughput: Math.round(burstThroughput),
      // What the votes cost the server in CPU time, whatever else runs on the machine.
      serverCpuMsPerVote: {
        total: Number(((cpuAfter.total - cpuBefore.total) / Math.max(1, acks.length)).toFixed(3)),
        main: Number(((cpuAfter.main - cpuBefore.main) / Math.max(1, acks.length)).toFixed(3))
      },
      // And what they cost the rest of the machine: the PostgreSQL backends (when local; PGlite is in the
      // server's own figure) and this load generator. On two cores, 2,000 ms of CPU a second is all there is.
      machineCpuMsPerVote: {
        database: backends.length ? Number((databaseCpu / Math.max(1, acks.length)).toFixed(3)) : null,
        generator: Number(((generatorCpu.user + generatorCpu.system) / 1000 / Math.max(1, acks.length)).toFixed(3))
      },
      capacityToBaseline: Number((capacity / base_.votesPerSecond).toFixed(2)),
      busyMs: Math.round(busyMs),
      acknowledged: acks.length,
      tallies: tallies.length,
      lost,
      countsMatch,
      unseenOnProjector: unseen,
      floodAck: summary(floodAcks),
      floodMs: Number(floodMs.toFixed(1)),
      floodAcknowledged: floodAcks.length,
      floodLost: flood.lost,
      floodCountsMatch: flood.countsMatch,
      errors: errorCount,
      errorsByKind: errors,
      // The peak during the burst (the flood round comes after).
      memoryMiB: { idle: Math.round(rssIdle / 2 ** 20), joined: Math.round(rssJoined / 2 ** 20), peak: Math.round(rssVoting / 2 ** 20) },
      baseline: { votesPerSecond: Math.round(base_.votesPerSecond), upsert: base_.upsert },
      load: loadavg().map((l) => Number(l.toFixed(2)))
    };

    if (!quiet) {
      const line = (label, s) => `  ${label.padEnd(30)} p50 ${ms(s.p50).padStart(10)}   p95 ${ms(s.p95).padStart(10)}   p99 ${ms(s.p99).padStart(10)}`;
      console.log(`\nKennisdag live load — ${result.phones} phones on ${result.database}, votes within ${voteWindowMs / 1000} s`);
      console.log(`  joined                         ${result.joined} in ${(result.join.totalMs / 1000).toFixed(1)} s, ${result.streams} live streams`);
      console.log(line('join', result.join));
      console.log(line('tap → acknowledgement', result.voteAck));
      console.log(line('tap → projector', result.tapToProjector));
      console.log(line('acknowledgement → projector', result.ackToProjector));
      console.log(line('load generator lag', result.generatorLag));
      console.log(line('tap → acknowledgement (flood)', result.floodAck));
      console.log(`  capacity                       ${result.capacity} votes/s when every phone taps at once (flood: ${result.floodAcknowledged} in ${result.floodMs} ms), ${Math.round(result.capacityToBaseline * 100)} % of the baseline`);
      console.log(`  burst throughput               ${result.burstThroughput} votes/s while votes waited (${result.busyMs} ms; at most the rate offered)`);
      console.log(`  server CPU per vote            ${result.serverCpuMsPerVote.total} ms (HTTP thread ${result.serverCpuMsPerVote.main} ms)`);
      console.log(`  other CPU per vote             ${result.machineCpuMsPerVote.database ?? '–'} ms PostgreSQL, ${result.machineCpuMsPerVote.generator} ms load generator`);
      console.log(`  projector tallies              ${result.tallies}`);
      console.log(`  lost votes                     ${result.lost} (per-option counts ${result.countsMatch ? 'match' : 'DIFFER'}; ${result.unseenOnProjector} never shown)`);
      console.log(`  lost votes (flood)             ${result.floodLost} (per-option counts ${result.floodCountsMatch ? 'match' : 'DIFFER'})`);
      console.log(`  errors                         ${result.errors ? JSON.stringify(errors) : 0}`);
      console.log(`  server memory                  idle ${result.memoryMiB.idle} MiB, joined ${result.memoryMiB.joined} MiB, peak ${result.memoryMiB.peak} MiB`);
      console.log(`baseline, same run: ${phones} bare vote upserts into ${result.database}, one after the other`);
      console.log(`  votes per second               ${result.baseline.votesPerSecond}`);
      console.log(line('upsert', result.baseline.upsert));
      console.log(`load average (1, 5, 15 min)      ${result.load.join(', ')} on ${cpus().length} cores`);
      const targets =
        result.lost === 0 && result.errors === 0 && result.unseenOnProjector === 0 && result.tapToProjector.p95 <= 500 && result.tapToProjector.p99 <= 1000 && result.voteAck.p95 <= 500;
      console.log(`targets (0 lost, 0 errors, tap → projector p95 ≤ 500 ms and p99 ≤ 1 s, acknowledgement p95 ≤ 500 ms): ${targets ? 'met' : 'NOT met'}`);
    }
    console.log(JSON.stringify(result));
    return result.lost === 0 && result.errors === 0 && result.unseenOnProjector === 0 && result.countsMatch && result.floodLost === 0 && result.floodCountsMatch ? 0 : 1;
  } finally {
    clearInterval(sampler);
    for (const s of streams) s.close();
    server.kill('SIGTERM');
    // A CPU profile is written as the server exits.
    await Promise.race([exited, new Promise((r) => setTimeout(r, cpuProfileDir ? 30_000 : 3000))]);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    await appDatabase?.drop().catch(() => {});
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

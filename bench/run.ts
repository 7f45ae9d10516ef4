/**
 * `npm run bench` (issue 5): seeds deterministic data at two sizes, then for
 * each scenario measures, at the same concurrency and for the same time,
 *   ours  - the real subgraph (src/app.ts) over HTTP, driven by autocannon;
 *   floor - the database commands ours issued, replayed through the driver;
 *   naive - the same schema resolved per parent without loaders (bench/naive).
 * and writes bench/results/latest.{json,md,svg} (plus a timestamped JSON).
 *
 * Servers run in their own processes (bench/server.ts) so that the load
 * generator never shares their event loop and their memory is their own;
 * they count database commands with the driver's command monitoring and
 * report the counts over IPC.
 *
 * Configuration (environment): BENCH_USERS (sizes, default 10000,100000),
 * BENCH_SEED (42), BENCH_CONNECTIONS (8), BENCH_DURATION (seconds per run, 5),
 * BENCH_WARMUP (1), BENCH_SCENARIOS (a,b,c,d), BENCH_MAX_REQUEST_SECONDS (20:
 * a variant whose single request takes longer is not put under load),
 * MONGODB_URI (benchmark that server instead of the local database).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { delimiter, join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startLocalDatabase, type LocalDatabase } from '../src/db/localDatabase';
import { DATASET_VERSION, writeDataset, writeHeavyUser, type DatasetCounts, type HeavyUserSize } from './dataset';
import { newLatencyHistogram, runFloor, wavesOf, type FloorRequest } from './floor';
import { runLoad } from './load';
import type { CapturedCommand, ParentMessage, ServerMessage } from './protocol';
import {
  figuresOf,
  latencySvg,
  markdownTable,
  ratiosOf,
  type BenchResults,
  type HeavyFigures,
  type RunFigures,
  type ScenarioFigures,
} from './report';
import { buildHeavyScenarios, buildScenarios, type HeavyScenario, type Scenario } from './scenarios';

const ROOT = join(__dirname, '..');
const RESULTS_DIR = join(__dirname, 'results');

function numberFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got "${text}"`);
  return value;
}

/**
 * Where no real MongoDB is at hand, the local FerretDB 1.24 (SQLite) scans a
 * whole collection for every read (see bench/README.md), so the sizes
 * cannot finish in 10 minutes there: it runs the same harness at 100 and 1,000
 * users and 2 connections (one per core) unless told otherwise.
 */
const FERRETDB_DEFAULTS = {
  users: '100,1000',
  connections: 2,
  heavyPage: { orders: 2_000, ledgerEntries: 10_000 },
  heavyBatch: { orders: 200, ledgerEntries: 1_000 },
};

function settingsFor(onFerretDb: boolean) {
  const sizesText = process.env.BENCH_USERS ?? (onFerretDb ? FERRETDB_DEFAULTS.users : '10000,100000');
  return {
    sizes: sizesText.split(',').map((text) => {
      const size = Number(text.trim());
      if (!Number.isInteger(size) || size < 100) throw new Error(`BENCH_USERS: "${text}" is not a user count of at least 100`);
      return size;
    }),
    seed: numberFromEnv('BENCH_SEED', 42),
    connections: numberFromEnv('BENCH_CONNECTIONS', onFerretDb ? FERRETDB_DEFAULTS.connections : 8),
    durationMs: numberFromEnv('BENCH_DURATION', 5) * 1000,
    warmupMs: numberFromEnv('BENCH_WARMUP', 1) * 1000,
    maxRequestMs: numberFromEnv('BENCH_MAX_REQUEST_SECONDS', 20) * 1000,
    scenarios: (process.env.BENCH_SCENARIOS ?? 'a,b,c,d,e,f').split(',').map((text) => text.trim()),
    heavy: {
      users: numberFromEnv('BENCH_HEAVY_USERS', 10),
      // Issue 9's heavy user (20,000 orders, 100,000 entries), for scenario e and f. On FerretDB every
      // command scans its collection, at about 1-3 ms per stored order on this shared machine: one request
      // of e at full size takes minutes, and f with 10 such users (200k orders, 1M entries) far longer, so
      // both are smaller there by default (BENCH_HEAVY_ORDERS=20000 BENCH_HEAVY_LEDGER=100000 for full size).
      page: {
        orders: numberFromEnv('BENCH_HEAVY_ORDERS', onFerretDb ? FERRETDB_DEFAULTS.heavyPage.orders : 20_000),
        ledgerEntries: numberFromEnv('BENCH_HEAVY_LEDGER', onFerretDb ? FERRETDB_DEFAULTS.heavyPage.ledgerEntries : 100_000),
      },
      batch: {
        orders: numberFromEnv('BENCH_HEAVY_BATCH_ORDERS', onFerretDb ? FERRETDB_DEFAULTS.heavyBatch.orders : 20_000),
        ledgerEntries: numberFromEnv('BENCH_HEAVY_BATCH_LEDGER', onFerretDb ? FERRETDB_DEFAULTS.heavyBatch.ledgerEntries : 100_000),
      },
      lightUsers: 100,
    },
  };
}

let SETTINGS: ReturnType<typeof settingsFor>;

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function hasMongod(): boolean {
  if (process.env.MONGOD_BIN) return true;
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'mongod')));
}

/** A forked bench/server.ts and a typed request/answer over its IPC channel. */
class ServerProcess {
  private readonly waiting: { type: ServerMessage['type']; resolve: (message: ServerMessage) => void }[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: ServerMessage) => {
      const index = this.waiting.findIndex((entry) => entry.type === message.type);
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
    });
  }

  static async start(implementation: 'ours' | 'naive', uri: string, dbName: string, jwtSecret: string): Promise<ServerProcess> {
    const child = fork(join(__dirname, 'server.ts'), [implementation, uri, dbName], {
      env: { ...process.env, BENCH_JWT_SECRET: jwtSecret },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`${implementation} server exited with ${code} before it was ready`));
      child.once('exit', onExit);
      child.once('message', (message: ServerMessage) => {
        child.off('exit', onExit);
        if (message.type === 'ready') resolve(message.url);
        else reject(new Error(`unexpected first message ${message.type}`));
      });
    });
    return new ServerProcess(child, url);
  }

  ask<T extends ServerMessage['type']>(message: ParentMessage, answer: T): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve) => {
      this.waiting.push({ type: answer, resolve: resolve as (message: ServerMessage) => void });
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}

interface ProbeResult {
  ms: number;
  ok: boolean;
  detail?: string;
  /** The parsed response (the floor stringifies it again). */
  response?: unknown;
}

/** One request, alone, with a time limit: checks the scenario works and how long it takes. */
async function probe(url: string, variant: Scenario['variants'][number], timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: variant.authorization },
      body: variant.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
    if (!response.ok || parsed.errors) return { ms, ok: false, detail: text.slice(0, 400) };
    if (!/"id":/.test(text)) return { ms, ok: false, detail: `no data: ${text.slice(0, 200)}` };
    return { ms, ok: true, response: parsed };
  } catch (error) {
    return { ms: performance.now() - started, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

async function ensureDataset(db: Db, size: number): Promise<{ seedSeconds: number | null; documents: DatasetCounts }> {
  const meta = db.collection<{ _id: string; complete: boolean; documents: DatasetCounts }>('bench_meta');
  const existing = await meta.findOne({ _id: 'dataset' });
  if (existing?.complete) {
    log(`${size} users: dataset already seeded (cached in .cache/bench)`);
    return { seedSeconds: null, documents: existing.documents };
  }
  await db.dropDatabase();
  const started = performance.now();
  let lastReport = 0;
  const documents = await writeDataset(db, SETTINGS.seed, size, (done) => {
    if (performance.now() - lastReport > 10_000 || done === size) {
      lastReport = performance.now();
      log(`${size} users: seeded ${done}`);
    }
  });
  await meta.insertOne({ _id: 'dataset', complete: true, documents });
  const seedSeconds = (performance.now() - started) / 1000;
  log(`${size} users: seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(documents)}`);
  return { seedSeconds, documents };
}

/** Runs load against a server and reads its command counters and memory around it. */
async function measureServer(
  server: ServerProcess,
  variant: 'ours' | 'naive',
  scenario: Pick<Scenario, 'id' | 'variants'>,
  probeMs: number,
  fixedRequests?: number,
): Promise<RunFigures & { documentsByCollection: Record<string, number> }> {
  const slow = probeMs * 4 > SETTINGS.durationMs;
  // A scenario slower than a quarter of the run time gets a fixed number of requests instead, so it still yields samples.
  const maxRequests = fixedRequests ?? (slow ? SETTINGS.connections * 3 : undefined);
  await server.ask({ type: 'reset' }, 'counters');
  let maxRss = 0;
  const sampler = setInterval(() => {
    void server.ask({ type: 'read' }, 'counters').then((counters) => {
      maxRss = Math.max(maxRss, counters.rss);
    });
  }, 250);
  let result;
  try {
    result = await runLoad(server.url, scenario.variants, {
      connections: SETTINGS.connections,
      durationMs: SETTINGS.durationMs,
      warmupMs: 0, // warmUp() ran before the counters were reset

      timeoutSeconds: Math.ceil((Math.max(probeMs, 1000) * SETTINGS.connections * 4) / 1000),
      ...(maxRequests ? { maxRequests } : {}),
    });
  } finally {
    clearInterval(sampler);
  }
  const counters = await server.ask({ type: 'read' }, 'counters');
  maxRss = Math.max(maxRss, counters.rss);
  const figures = figuresOf(variant, result.histogram, {
    requests: result.requests,
    errors: result.errors,
    graphqlErrors: result.graphqlErrors,
    durationMs: result.durationMs,
    commands: counters.commands,
    dbMs: counters.dbMs,
    documents: counters.documents,
    cpuMs: counters.cpuMs,
    maxRssMb: maxRss / 1024 / 1024,
    ...(maxRequests ? { note: `${maxRequests} requests` } : {}),
  });
  if (result.sampleError) log(`  ${variant} ${scenario.id}: GraphQL errors, e.g. ${result.sampleError}`);
  const perRequest = Object.fromEntries(
    Object.entries(counters.documentsByCollection).map(([name, count]) => [name, result.requests > 0 ? count / result.requests : NaN]),
  );
  return { ...figures, documentsByCollection: perRequest };
}

async function warmUp(server: ServerProcess, scenario: Scenario): Promise<void> {
  if (SETTINGS.warmupMs <= 0) return;
  await runLoad(server.url, scenario.variants, {
    connections: SETTINGS.connections,
    durationMs: SETTINGS.warmupMs,
    warmupMs: 0,
    timeoutSeconds: 60,
    maxRequests: SETTINGS.connections,
  });
}

async function benchSize(
  uri: string,
  client: MongoClient,
  size: number,
  scenarios: Scenario[],
  jwtSecret: string,
  results: BenchResults,
): Promise<void> {
  const dbName = `bench_u${size}_s${SETTINGS.seed}_v${DATASET_VERSION}`;
  const db = client.db(dbName);
  results.dataset[String(size)] = await ensureDataset(db, size);
  const bySize: Record<string, ScenarioFigures> = {};
  for (const scenario of scenarios) bySize[scenario.id] = { scenario: scenario.id, title: scenario.title, users: size, runs: {} };

  // Ours and its floor.
  const ours = await ServerProcess.start('ours', uri, dbName, jwtSecret);
  try {
    for (const scenario of scenarios) {
      const figures = bySize[scenario.id]!;
      // Capture each variant's commands on its own (nothing else runs), which also checks the answers.
      const captured: FloorRequest[] = [];
      let summary: string[] | undefined;
      let probeMs = 0;
      for (const variant of scenario.variants) {
        await ours.ask({ type: 'capture', on: true }, 'captured');
        const result = await probe(ours.url, variant, 120_000);
        const { commands } = await ours.ask({ type: 'capture', on: false }, 'captured');
        if (!result.ok) throw new Error(`scenario ${scenario.id} fails on ours: ${result.detail}`);
        probeMs = Math.max(probeMs, result.ms);
        captured.push({ waves: wavesOf(commands as CapturedCommand[]), response: result.response });
        summary ??= summarizeCommands(commands as CapturedCommand[]);
      }
      if (summary) figures.oursCommands = summary;
      await warmUp(ours, scenario);
      const { documentsByCollection: _byCollection, ...oursFigures } = await measureServer(ours, 'ours', scenario, probeMs);
      figures.runs.ours = oursFigures;
      log(`${size} ${scenario.id} ours:  ${describe(oursFigures)}`);

      const floor = await runFloor(db, captured, {
        connections: SETTINGS.connections,
        durationMs: SETTINGS.durationMs,
        warmupMs: SETTINGS.warmupMs,
        ...(oursFigures.note ? { maxRequests: SETTINGS.connections * 3 } : {}),
      });
      const floorFigures = figuresOf('floor', floor.histogram, {
        requests: floor.requests,
        errors: floor.errors,
        graphqlErrors: 0,
        durationMs: floor.durationMs,
        commands: floor.commands,
        dbMs: NaN,
        documents: floor.documents,
        cpuMs: floor.cpuMs,
        ...(oursFigures.note ? { note: oursFigures.note } : {}),
      });
      figures.runs.floor = floorFigures;
      log(`${size} ${scenario.id} floor: ${describe(floorFigures)}`);
    }
  } finally {
    await ours.stop();
  }

  // The naive subgraph last: a runaway request of its own cannot slow the others down.
  let naive = await ServerProcess.start('naive', uri, dbName, jwtSecret);
  try {
    for (const scenario of scenarios) {
      const figures = bySize[scenario.id]!;
      const result = await probe(naive.url, scenario.variants[0]!, SETTINGS.maxRequestMs);
      if (!result.ok) {
        const note = result.ms >= SETTINGS.maxRequestMs ? `one request > ${SETTINGS.maxRequestMs / 1000} s, not loaded` : 'failed';
        log(`${size} ${scenario.id} naive: ${note} ${result.detail ?? ''}`);
        figures.runs.naive = {
          ...figuresOf('naive', newLatencyHistogram(), {
            requests: 0,
            errors: 1,
            graphqlErrors: 0,
            durationMs: result.ms,
            commands: 0,
            dbMs: 0,
          }),
          rps: result.ms >= SETTINGS.maxRequestMs ? 0 : NaN,
          note,
        };
        // Its abandoned request may still be querying: start a fresh process for the next scenario.
        await naive.stop();
        naive = await ServerProcess.start('naive', uri, dbName, jwtSecret);
        continue;
      }
      await warmUp(naive, scenario);
      const { documentsByCollection: _naiveByCollection, ...naiveFigures } = await measureServer(naive, 'naive', scenario, result.ms);
      figures.runs.naive = naiveFigures;
      log(`${size} ${scenario.id} naive: ${describe(figures.runs.naive)}`);
    }
  } finally {
    await naive.stop();
  }
  results.scenarios.push(...Object.values(bySize));
}

/** 100 light users (the same as at every size) plus `heavyUsers` heavy ones of `size`; cached like the others. */
async function ensureHeavyDataset(db: Db, heavyUsers: number, size: HeavyUserSize): Promise<void> {
  const meta = db.collection<{ _id: string; complete: boolean }>('bench_meta');
  if ((await meta.findOne({ _id: 'dataset' }))?.complete) {
    log(`heavy dataset ${db.databaseName}: already seeded (cached in .cache/bench)`);
    return;
  }
  await db.dropDatabase();
  const started = performance.now();
  await writeDataset(db, SETTINGS.seed, SETTINGS.heavy.lightUsers);
  for (let h = 0; h < heavyUsers; h++) await writeHeavyUser(db, SETTINGS.seed, h, size);
  await meta.insertOne({ _id: 'dataset', complete: true });
  log(`heavy dataset ${db.databaseName}: seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Issue 9's heavy-user scenarios: each request shape for heavy and for light users, on the same data,
 * a fixed number of requests each (one per connection, after one captured alone), ours and its floor.
 */
async function benchHeavy(uri: string, client: MongoClient, jwtSecret: string, results: BenchResults, onFerretDb: boolean): Promise<void> {
  const { users, page, batch } = SETTINGS.heavy;
  const sameSize = page.orders === batch.orders && page.ledgerEntries === batch.ledgerEntries;
  const nameOf = (heavyUsers: number, size: HeavyUserSize): string =>
    `bench_heavy_l${SETTINGS.heavy.lightUsers}_h${heavyUsers}x${size.orders}x${size.ledgerEntries}_s${SETTINGS.seed}_v${DATASET_VERSION}`;
  // One dataset when f's heavy users are full size too; else e's (one full heavy user) and f's.
  const datasets = {
    e: { heavyUsers: sameSize ? users : 1, size: page },
    f: { heavyUsers: users, size: sameSize ? page : batch },
  };
  const scenarios = (await buildHeavyScenarios(SETTINGS.seed, SETTINGS.heavy.lightUsers, users, jwtSecret)).filter((scenario) =>
    SETTINGS.scenarios.includes(scenario.id),
  );
  results.heavy = [];
  for (const scenario of scenarios) {
    const { heavyUsers, size } = datasets[scenario.id];
    if (heavyUsers === 0) continue;
    const dbName = nameOf(heavyUsers, size);
    const db = client.db(dbName);
    await ensureHeavyDataset(db, heavyUsers, size);
    const dataset = `${SETTINGS.heavy.lightUsers} light + ${heavyUsers} heavy of ${size.orders} orders, ${size.ledgerEntries} entries`;
    const ours = await ServerProcess.start('ours', uri, dbName, jwtSecret);
    try {
      for (const population of scenario.populations) {
        const captured: FloorRequest[] = [];
        let probeMs = 0;
        for (const variant of population.variants) {
          await ours.ask({ type: 'capture', on: true }, 'captured');
          const result = await probe(ours.url, variant, 600_000);
          const { commands } = await ours.ask({ type: 'capture', on: false }, 'captured');
          if (!result.ok) throw new Error(`heavy scenario ${scenario.id} (${population.population}) fails on ours: ${result.detail}`);
          probeMs = Math.max(probeMs, result.ms);
          captured.push({ waves: wavesOf(commands as CapturedCommand[]), response: result.response });
        }
        const fixedRequests = SETTINGS.connections;
        const { documentsByCollection, ...oursFigures } = await measureServer(
          ours,
          'ours',
          { id: scenario.id as Scenario['id'], variants: population.variants },
          probeMs,
          fixedRequests,
        );
        const floor = await runFloor(db, captured, { connections: SETTINGS.connections, durationMs: 0, warmupMs: 0, maxRequests: fixedRequests });
        const floorFigures = figuresOf('floor', floor.histogram, {
          requests: floor.requests,
          errors: floor.errors,
          graphqlErrors: 0,
          durationMs: floor.durationMs,
          commands: floor.commands,
          dbMs: NaN,
          documents: floor.documents,
          cpuMs: floor.cpuMs,
          note: `${fixedRequests} requests`,
        });
        const pageDocuments = scenario.lists.reduce((sum, list) => sum + (documentsByCollection[list.collection] ?? 0), 0);
        const bound = scenario.lists.reduce((sum, list) => sum + (list.first + 1) * population.accounts + population.accounts + 1, 0);
        const figures: HeavyFigures = {
          scenario: scenario.id,
          title: scenario.title,
          population: population.population,
          dataset,
          accounts: population.accounts,
          ours: oursFigures,
          floor: floorFigures,
          pageDocumentsPerRequest: pageDocuments,
          pageDocumentsBound: Math.ceil(bound),
        };
        results.heavy.push(figures);
        log(
          `heavy ${scenario.id} ${population.population}: ours ${describe(oursFigures)}; floor ${describe(floorFigures)}; ` +
            `page documents ${pageDocuments.toFixed(0)}/req (bound ${figures.pageDocumentsBound})`,
        );
      }
    } finally {
      await ours.stop();
    }
  }
  if (onFerretDb) {
    results.notes.push(
      `Heavy scenarios on FerretDB: e's heavy user has ${page.orders} orders and ${page.ledgerEntries} ledger entries, f's ten ` +
        `${batch.orders} and ${batch.ledgerEntries} (every command scans its collection: at issue 9's 20,000/100,000 one request of e ` +
        'takes minutes here, see bench/results/heavy-full.md). The page documents do not depend on the history length (that is ' +
        'what the bound says); on MongoDB both use the full size.',
    );
  }
}

/** "find orders {accountId,placedAt}" per command of one request, in the order they started. */
function summarizeCommands(commands: readonly CapturedCommand[]): string[] {
  return [...commands]
    .sort((x, y) => x.startedAt - y.startedAt)
    .map((entry) => {
      const collection = entry.command[entry.name];
      const filter = (entry.command.filter ?? (entry.command.pipeline as { $match?: unknown }[] | undefined)?.[0]?.$match ?? entry.command.query) as
        | Record<string, unknown>
        | undefined;
      const keys = filter ? Object.keys(filter).join(',') : '';
      const ms = (entry.finishedAt - entry.startedAt).toFixed(1);
      return `${entry.name} ${typeof collection === 'string' ? collection : ''} {${keys}} ${ms} ms`;
    });
}

function describe(run: RunFigures): string {
  return (
    `${run.requests} req, ${run.rps.toFixed(2)} rps, p50 ${run.p50Ms.toFixed(1)} ms, p95 ${run.p95Ms.toFixed(1)} ms, ` +
    `p99 ${run.p99Ms.toFixed(1)} ms, ${run.dbCommandsPerRequest.toFixed(1)} cmds/req` +
    (run.documentsPerRequest !== undefined ? `, ${run.documentsPerRequest.toFixed(0)} docs/req` : '') +
    (run.cpuMsPerRequest !== undefined ? `, CPU ${run.cpuMsPerRequest.toFixed(1)} ms/req` : '') +
    (Number.isFinite(run.dbMsPerRequest) ? `, ${run.dbMsPerRequest.toFixed(1)} db ms/req` : '') +
    (run.maxRssMb !== undefined ? `, RSS ${run.maxRssMb.toFixed(0)} MB` : '') +
    (run.errors || run.graphqlErrors ? `, ${run.errors} errors, ${run.graphqlErrors} GraphQL errors` : '')
  );
}

async function main(): Promise<void> {
  const startedAt = new Date();
  let local: LocalDatabase | undefined;
  let uri = process.env.MONGODB_URI;
  let database: string;
  const onFerretDb = !uri && !hasMongod();
  SETTINGS = settingsFor(onFerretDb);
  const sizes = [...new Set(SETTINGS.sizes)].sort((x, y) => x - y);
  if (uri) {
    database = 'MONGODB_URI';
  } else {
    const kind = onFerretDb ? 'ferretdb' : 'mongod';
    const dataDir = join(ROOT, '.cache', 'bench', `${kind}-data`);
    mkdirSync(dataDir, { recursive: true });
    local = await startLocalDatabase({ dataDir, log });
    uri = local.uri;
    database = local.kind === 'ferretdb' ? 'local FerretDB 1.24.2 (SQLite)' : 'local mongod';
  }
  const client = new MongoClient(uri, { maxPoolSize: Math.max(20, SETTINGS.connections * 4) });
  await client.connect();
  const jwtSecret = randomBytes(32).toString('hex');
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    database,
    node: process.versions.node,
    cpus: cpus().length,
    seed: SETTINGS.seed,
    connections: SETTINGS.connections,
    durationSeconds: SETTINGS.durationMs / 1000,
    warmupSeconds: SETTINGS.warmupMs / 1000,
    sizes,
    dataset: {},
    scenarios: [],
    notes: onFerretDb
      ? [
          'Local FerretDB 1.24.2 (SQLite): every read scans its whole collection (no filter but a lone _id equality is pushed ' +
            'down, and that one does not use the index either), so latency grows with the data whatever the subgraph does. ' +
            'Run against a real MongoDB (MONGODB_URI or MONGOD_BIN) for the 10k/100k comparison of issue 5.',
        ]
      : [],
  };
  try {
    const scenarios = (await buildScenarios(SETTINGS.seed, sizes[0]!, jwtSecret)).filter((scenario) => SETTINGS.scenarios.includes(scenario.id));
    for (const size of sizes) await benchSize(uri, client, size, scenarios, jwtSecret, results);
    if (SETTINGS.scenarios.includes('e') || SETTINGS.scenarios.includes('f')) await benchHeavy(uri, client, jwtSecret, results, onFerretDb);
  } finally {
    await client.close();
    await local?.stop();
  }
  results.finishedAt = new Date().toISOString();
  for (const figures of results.scenarios) {
    const ratios = ratiosOf(results, figures);
    log(
      `${figures.scenario} ${figures.users}: ours/floor p50 ${ratios.oursOverFloorP50?.toFixed(2) ?? '—'}, ` +
        `naive/ours (rps ours÷naive) ${ratios.naiveOverOursRps?.toFixed(1) ?? '—'}` +
        (ratios.p50LargeOverSmall !== undefined ? `, p50 ${sizes.at(-1)}/${sizes[0]} ${ratios.p50LargeOverSmall.toFixed(2)}` : ''),
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = JSON.stringify(results, null, 2);
  // BENCH_RESULTS_NAME: a run of some scenarios only (e.g. the full-size heavy user) kept beside latest.*.
  const name = process.env.BENCH_RESULTS_NAME ?? 'latest';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`BENCH_RESULTS_NAME: "${name}" is not a plain file name`);
  writeFileSync(join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(RESULTS_DIR, `${name}.json`), json);
  writeFileSync(join(RESULTS_DIR, `${name}.md`), markdownTable(results));
  if (results.scenarios.length > 0) writeFileSync(join(RESULTS_DIR, `${name}.svg`), latencySvg(results));
  log(`results in ${RESULTS_DIR}/${name}.{json,md,svg} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run bench:startup`: start-up time (spawn to the first `GET /ready` 200)
 * and idle RSS of the subgraph as `npm start` runs it (node --import tsx
 * src/main.ts) and as production runs it (node dist/src/main.js, after
 * `npm run build`). Each kind is started BENCH_STARTUP_RUNS times (default 5),
 * alternating, one process at a time; the medians are printed.
 *
 * MONGODB_URI: measure against that server (a fresh database, dropped after);
 * otherwise a temporary local database is started and stopped.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startLocalDatabase, type LocalDatabase } from '../src/db/localDatabase';
import { buildOnce, startSubgraphProcess, type SubgraphProcessKind } from '../test/support/subgraphProcess';

const KINDS: readonly SubgraphProcessKind[] = ['tsx', 'compiled'];
const LABEL: Record<SubgraphProcessKind, string> = { tsx: 'node --import tsx src/main.ts (npm start)', compiled: 'node dist/src/main.js (npm run start:prod)' };
/** How long a started process sits without requests before its RSS is read. */
const IDLE_MS = 2000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? '5');
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_STARTUP_RUNS: expected a whole number >= 1, got "${process.env.BENCH_STARTUP_RUNS}"`);
  process.stderr.write('building (npm run build)...\n');
  await buildOnce();

  let local: LocalDatabase | undefined;
  const uri = process.env.MONGODB_URI ?? (local = await startLocalDatabase({ log: (line) => process.stderr.write(`[database] ${line}\n`) })).uri;
  const dbName = `poco_startup_${randomBytes(3).toString('hex')}`;
  const samples: Record<SubgraphProcessKind, { startupMs: number[]; rssBytes: number[] }> = {
    tsx: { startupMs: [], rssBytes: [] },
    compiled: { startupMs: [], rssBytes: [] },
  };
  try {
    for (let run = 0; run < runs; run++) {
      for (const kind of KINDS) {
        const subgraph = await startSubgraphProcess(kind, {
          env: { NODE_ENV: 'test', MONGODB_URI: uri, MONGODB_DB: dbName, PORT: '0', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' },
        });
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
        const rss = subgraph.rssBytes();
        samples[kind].startupMs.push(subgraph.startupMs);
        samples[kind].rssBytes.push(rss);
        await subgraph.stop();
        process.stderr.write(`run ${run + 1}/${runs} ${kind}: ${Math.round(subgraph.startupMs)} ms, ${(rss / 2 ** 20).toFixed(1)} MB\n`);
      }
    }
  } finally {
    const client = new MongoClient(uri);
    await client.db(dbName).dropDatabase().catch(() => {});
    await client.close();
    await local?.stop();
  }

  const lines = ['| command | start-up (spawn to /ready 200), median | idle RSS, median |', '|---|---|---|'];
  for (const kind of KINDS) {
    lines.push(`| \`${LABEL[kind]}\` | ${Math.round(median(samples[kind].startupMs))} ms | ${(median(samples[kind].rssBytes) / 2 ** 20).toFixed(0)} MB |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const figure = (kind: SubgraphProcessKind): string =>
    `${kind} ${Math.round(median(samples[kind].startupMs))} ms / ${(median(samples[kind].rssBytes) / 2 ** 20).toFixed(1)} MB`;
  console.log(`[figures] start-up and idle RSS, median of ${runs}: ${KINDS.map(figure).join('; ')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

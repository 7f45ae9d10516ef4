// Needs the 1,000-user dataset of a previous `npm run bench` (in .cache/bench); run with `npx tsx bench/probes/<file>.ts`.
// Before/after of WHOLE_RESULT (one batch) for scenario b's orders keys read, 1000-user data.
import { startLocalDatabase } from '../../src/db/localDatabase';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { generateUser } from '../dataset';
import { benchUserIndices } from '../scenarios';
async function main() {
  const server = await startLocalDatabase({ dataDir: join(__dirname, '..', '..', '.cache', 'bench', 'ferretdb-data') });
  const client = new MongoClient(server.uri, { monitorCommands: true });
  let commands = 0;
  client.on('commandSucceeded', () => { commands += 1; });
  const db = client.db('bench_u1000_s42_v3');
  const accounts = benchUserIndices(100, 100, 3).flatMap((i) => generateUser(42, i).accounts.filter((a) => a.xiaomiUserId).map((a) => a._id));
  const read = (options: object) => db.collection<any>('orders').find({ accountId: { $in: accounts } }, { ...options, projection: { _id: 1, accountId: 1, placedAt: 1 } }).toArray();
  const ledger = (options: object) => db.collection<any>('points_ledger').find({ accountId: { $in: accounts } }, { ...options, projection: { _id: 1, accountId: 1, at: 1 } }).toArray();
  const sums: Record<'before' | 'after', [number, number, number]> = { before: [0, 0, 0], after: [0, 0, 0] };
  for (let round = 0; round < 4; round++) {
    for (const [name, options] of [['before', {}], ['after', { batchSize: 100_000 }]] as const) {
      const c0 = commands; const t = performance.now();
      const docs = (await read(options)).length + (await ledger(options)).length;
      sums[name][0] += performance.now() - t; sums[name][1] += commands - c0; sums[name][2] = docs;
    }
  }
  for (const [name, [ms, cmds, docs]] of Object.entries(sums)) console.log(name, 'ms', (ms / 4).toFixed(0), 'commands', cmds / 4, 'docs', docs);
  await client.close(); await server.stop();
}
main();

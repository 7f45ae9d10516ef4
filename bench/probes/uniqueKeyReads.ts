// Needs the 1,000-user dataset of a previous `npm run bench` (in .cache/bench); run with `npx tsx bench/probes/<file>.ts`.
// Interleaved before/after of the unique-key read change, with the bench scenarios' own keys,
// on the 1000-user scattered dataset (v3). Each line: mean over the keys, before and after shape.
import { startLocalDatabase } from '../../src/db/localDatabase';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { generateUser } from '../dataset';
import { benchUserIndices } from '../scenarios';
async function main() {
  const server = await startLocalDatabase({ dataDir: join(__dirname, '..', '..', '.cache', 'bench', 'ferretdb-data') });
  const client = new MongoClient(server.uri);
  const db = client.db('bench_u1000_s42_v3');
  const orders = db.collection<any>('orders');
  const aAccounts = benchUserIndices(4, 100, 7).flatMap((i) => generateUser(42, i).accounts.filter((a) => a.xiaomiUserId).map((a) => a._id));
  const cdOrders = benchUserIndices(40, 100, 11).flatMap((i) => generateUser(42, i).orders);
  const rows: [string, () => Promise<unknown>, () => Promise<unknown>][] = [];
  for (const id of aAccounts.slice(0, 4)) {
    rows.push(['a: balance of 1 account', () => db.collection<any>('points_balances').find({ _id: { $in: [id] } }).toArray(), () => db.collection<any>('points_balances').find({ _id: id }, { limit: 1 }).toArray()]);
    rows.push(['a: transfer of 1 account', () => db.collection<any>('points_transfers').find({ _id: { $in: [id] } }).toArray(), () => db.collection<any>('points_transfers').find({ _id: id }, { limit: 1 }).toArray()]);
  }
  for (const o of cdOrders.slice(0, 4)) {
    rows.push(['c: order by number', () => orders.find({ orderNo: { $in: [o.orderNo] } }).toArray(), () => orders.find({ orderNo: o.orderNo }, { limit: 1 }).toArray()]);
    rows.push(['c: account of the order', () => db.collection<any>('accounts').find({ _id: { $in: [o.accountId] } }).toArray(), () => db.collection<any>('accounts').find({ _id: o.accountId }, { limit: 1 }).toArray()]);
  }
  for (let g = 0; g < 3; g++) {
    const ids = cdOrders.slice(g * 10, g * 10 + 10).map((o) => o._id);
    rows.push(['d: 10 orders by id', () => orders.find({ _id: { $in: ids } }).toArray(), () => orders.find({ _id: { $in: ids } }, { limit: ids.length }).toArray()]);
  }
  const sums: Record<string, [number, number, number]> = {};
  for (let round = 0; round < 2; round++) for (const [name, before, after] of rows) {
    const s = (sums[name] ??= [0, 0, 0]);
    let t = performance.now(); await before(); s[0] += performance.now() - t;
    t = performance.now(); await after(); s[1] += performance.now() - t;
    s[2] += 1;
  }
  for (const [name, [b, a, n]] of Object.entries(sums)) console.log(`${name.padEnd(26)} before ${(b / n).toFixed(1).padStart(7)} ms   after ${(a / n).toFixed(1).padStart(7)} ms`);
  await client.close(); await server.stop();
}
main();

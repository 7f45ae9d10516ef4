import { startLocalDatabase } from '../src/db/localDatabase';
import { MongoClient } from 'mongodb';
async function main() {
  const server = await startLocalDatabase({});
  const client = new MongoClient(server.uri);
  const db = client.db('probe');
  const N = Number(process.env.N ?? 100000);
  let t = performance.now();
  const docs: any[] = [];
  for (let i = 0; i < N; i++) docs.push({ _id: `A${i % 2}-p${String(i).padStart(6,'0')}`, accountId: `A${i%2}`, store: 'UK', at: new Date(1.6e12 + i * 60000), type: 'EARNED', points: 5, balanceAfter: i*5, orderId: null, note: 'Order x' });
  for (let s = 0; s < N; s += 10000) await db.collection('l').insertMany(docs.slice(s, s+10000), { ordered: false });
  console.log('insert', N, (performance.now()-t).toFixed(0), 'ms');
  await db.collection('l').createIndex({ accountId: 1, at: -1, _id: -1 });
  for (const [name, f] of [
    ['find limit 21 sorted', () => db.collection('l').find({ accountId: 'A0' }).sort({ at: -1, _id: -1 }).limit(21).toArray()],
    ['find lone _id', () => db.collection('l').find({ _id: 'A0-p000010' }).toArray()],
    ['group count', () => db.collection('l').aggregate([{ $match: { accountId: { $in: ['A0','A1'] } } }, { $group: { _id: '$accountId', n: { $sum: 1 } } }]).toArray()],
    ['count by match only', () => db.collection('l').aggregate([{ $match: { accountId: 'Z' } }, { $group: { _id: '$accountId', n: { $sum: 1 } } }]).toArray()],
    ['keys all', () => db.collection('l').find({ accountId: { $in: ['A0','A1'] } }, { projection: { _id: 1, accountId: 1, at: 1 }, batchSize: 100000 }).toArray()],
  ] as const) {
    t = performance.now(); const r = await (f as any)(); console.log(name, r.length, (performance.now()-t).toFixed(0), 'ms');
  }
  await client.close(); await server.stop();
}
main();

/**
 * What a write's filter costs on the local database (FerretDB 1.24 unless
 * MONGOD_BIN is set): a lone {_id} against {_id, field absent}, for
 * replaceOne and updateOne($set), in bulkWrites of 50. Prints [figures]
 * lines; not a test.   npx tsx bench/probes/conditionalWrites.ts DOCS
 */
import { MongoClient, type AnyBulkWriteOperation } from 'mongodb';
import { startLocalDatabase } from '../../src/db/localDatabase';

const DOCS = Number(process.argv[2] ?? '2000');
const OPS = 50;

interface Row {
  _id: string;
  n: number;
  text: string;
}

async function main(): Promise<void> {
  const database = await startLocalDatabase();
  const client = new MongoClient(database.uri);
  try {
    await client.connect();
    const collection = client.db('probe').collection<Row>('rows');
    const docs = Array.from({ length: DOCS }, (_, i) => ({ _id: `id-${i}`, n: i, text: 'x'.repeat(300) }));
    for (let i = 0; i < docs.length; i += 1000) await collection.insertMany(docs.slice(i, i + 1000));
    const ids = Array.from({ length: OPS }, (_, i) => `id-${Math.floor((i * DOCS) / OPS)}`);
    let round = 0;
    const time = async (label: string, op: (id: string) => AnyBulkWriteOperation<Row>): Promise<void> => {
      round += 1;
      const started = Date.now();
      const result = await collection.bulkWrite(ids.map(op), { ordered: false });
      console.log(`[figures] ${label}: ${Date.now() - started} ms for ${OPS} ops on ${DOCS} docs (matched ${result.matchedCount})`);
    };
    for (let repeat = 0; repeat < 2; repeat++) {
      await time('replaceOne {_id}', (id) => ({ replaceOne: { filter: { _id: id }, replacement: { n: round, text: 'y' } } }));
      await time('replaceOne {_id, absent}', (id) => ({
        replaceOne: { filter: { _id: id, serviceLink: { $exists: false }, erasure: { $exists: false } } as never, replacement: { n: round, text: 'y' } },
      }));
      await time('updateOne {_id} $set', (id) => ({ updateOne: { filter: { _id: id }, update: { $set: { n: round } } } }));
      await time('updateOne {_id, absent} $set', (id) => ({
        updateOne: { filter: { _id: id, serviceLink: { $exists: false } } as never, update: { $set: { n: round } } },
      }));
    }
    const started = Date.now();
    const erased = await collection.find({ erasure: { $exists: true } } as never, { projection: { _id: 1 } }).toArray();
    console.log(`[figures] find {erasure exists} (a scan): ${Date.now() - started} ms on ${DOCS} docs (${erased.length} found)`);
  } finally {
    await client.close();
    await database.stop();
  }
}

void main();

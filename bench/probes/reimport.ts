/**
 * Import speed on the local database (FerretDB 1.24 unless MONGOD_BIN is set):
 * a first import, an identical re-import, and a re-import of an export whose
 * accounts and orders changed. Prints [figures] lines; not a test.
 *   npx tsx bench/probes/reimport.ts ORDERS
 * With SERVICE_FIELDS=1, one account in ten is linked and one in fifty erased
 * (service-owned fields written directly, as the service would) before the
 * re-imports, to see what those accounts cost.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startLocalDatabase } from '../../src/db/localDatabase';
import { runImport, type ImportReport } from '../../src/importer/runImport';

const ORDERS = Number(process.argv[2] ?? '5000');

function summary(report: ImportReport): string {
  return Object.entries(report.files)
    .map(([file, r]) => `${file} ins=${r?.inserted} upd=${r?.updated} unch=${r?.unchanged} rej=${r?.rejected}`)
    .join('; ');
}

/** The same export with every 3rd account's display name and every 3rd order's status changed. */
function changedCopy(dir: string, out: string): void {
  const edit = (file: string, change: (record: Record<string, unknown>, i: number) => void): void => {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(
      join(out, file),
      `${lines
        .map((line, i) => {
          const record = JSON.parse(line) as Record<string, unknown>;
          change(record, i);
          return JSON.stringify(record);
        })
        .join('\n')}\n`,
    );
  };
  edit('accounts.ndjson', (r, i) => {
    if (i % 3 === 0) r.display_name = `Changed ${i}`;
  });
  edit('orders.ndjson', (r, i) => {
    if (i % 3 === 0) r.status = r.status === 'completed' ? 'refunded' : 'completed';
  });
}

async function main(): Promise<void> {
  const database = await startLocalDatabase();
  const client = new MongoClient(database.uri);
  const work = mkdtempSync(join(tmpdir(), 'reimport-'));
  try {
    const dir = join(work, 'export');
    const changed = join(work, 'changed');
    spawnSync('npx', ['tsx', 'test/importer/perf/generateExport.ts', dir, String(ORDERS)], { stdio: 'inherit' });
    spawnSync('mkdir', ['-p', changed]);
    changedCopy(dir, changed);
    await client.connect();
    const db = client.db('reimport');
    const time = async (label: string, importDir: string): Promise<void> => {
      const started = Date.now();
      const report = await runImport({ dir: importDir, db });
      console.log(`[figures] ${label}: ${Date.now() - started} ms (${report.recordsPerSecond} records/s) ${summary(report)}`);
    };
    await time(`first import, ${ORDERS} orders`, dir);
    if (process.env.SERVICE_FIELDS === '1') {
      const at = new Date();
      const accounts = db.collection<{ _id: string }>('accounts');
      const ids = (await accounts.find({}, { projection: { _id: 1 } }).toArray()).map((a) => a._id);
      for (const [i, id] of ids.entries()) {
        if (i % 10 === 0) await accounts.updateOne({ _id: id }, { $set: { xiaomiUserId: `mi-${i}`, serviceLink: { xiaomiUserId: `mi-${i}`, at } } });
        if (i % 50 === 1) {
          await accounts.updateOne({ _id: id }, { $set: { email: `erased-${id}@invalid`, displayName: null, erasure: { at, scrubbedAt: at } } });
          await db.collection('orders').updateMany({ accountId: id }, { $set: { shippingAddress: null } });
          await db.collection('feedback').updateMany({ accountId: id }, { $set: { title: null, body: null } });
        }
      }
    }
    await time('identical re-import', dir);
    await time('changed re-import', changed);
  } finally {
    await client.close();
    await database.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main();

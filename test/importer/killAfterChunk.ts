/**
 * Run by importFile.test.ts as a child process: imports DIR into database
 * DB_NAME of MONGODB_URI and SIGKILLs itself right after chunk N of FILE, the
 * hardest way an import can die (no finally, no flush, no goodbye).
 */
import { MongoClient } from 'mongodb';
import { runImport } from '../../src/importer/runImport';

async function main(): Promise<void> {
  const [dir, dbName, file, chunk, rejectsPath] = process.argv.slice(2);
  const client = await MongoClient.connect(process.env.MONGODB_URI ?? '');
  await runImport({
    dir: dir ?? '',
    db: client.db(dbName),
    chunkSize: 20,
    ...(rejectsPath ? { rejectsPath } : {}),
    afterChunk: (current, number) => {
      if (current === file && number === Number(chunk)) process.kill(process.pid, 'SIGKILL');
    },
  });
  await client.close();
  process.stdout.write('finished without being killed\n');
}

void main();

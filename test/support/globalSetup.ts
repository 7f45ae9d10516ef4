/**
 * Starts one local database for the whole test run, unless MONGODB_URI points
 * at a server already. Either way every run gets its own database-name prefix,
 * and every test file its own database below it (see ./database.ts).
 */
import { randomBytes } from 'node:crypto';
import { startLocalDatabase, type LocalDatabase } from '../../src/db/localDatabase';

declare global {
  // eslint-disable-next-line no-var
  var __POCO_LOCAL_DATABASE__: LocalDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.POCO_TEST_DB_PREFIX = `poco_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (process.env.MONGODB_URI) return;
  const database = await startLocalDatabase({ log: (message) => process.stderr.write(`[test database] ${message}\n`) });
  globalThis.__POCO_LOCAL_DATABASE__ = database;
  process.env.MONGODB_URI = database.uri;
  process.env.POCO_TEST_LOCAL_DATABASE = database.kind;
}

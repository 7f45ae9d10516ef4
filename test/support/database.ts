/**
 * A fresh, uniquely named database for one test file, on the server of the run
 * (globalSetup). Drop it in afterAll: `await testDb.drop()`.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

export interface TestDatabase {
  readonly uri: string;
  readonly name: string;
  readonly client: MongoClient;
  readonly db: Db;
  /** Drops the database and closes the client. */
  drop(): Promise<void>;
}

export function testDatabaseUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the tests through jest (test/support/globalSetup.ts)');
  return uri;
}

/** A new database name under this run's prefix; at most 63 characters as MongoDB allows. */
export function uniqueDatabaseName(label = 'db'): string {
  const prefix = process.env.POCO_TEST_DB_PREFIX ?? 'poco_test';
  const slug = label.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 20);
  return `${prefix}_${slug}_${randomBytes(3).toString('hex')}`.slice(0, 63);
}

export async function openTestDatabase(label?: string, options: MongoClientOptions = {}): Promise<TestDatabase> {
  const uri = testDatabaseUri();
  const client = new MongoClient(uri, options);
  await client.connect();
  const name = uniqueDatabaseName(label);
  const db = client.db(name);
  return {
    uri,
    name,
    client,
    db,
    async drop() {
      try {
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

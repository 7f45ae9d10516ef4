import { MongoClient } from 'mongodb';
import { startLocalDatabase } from '../../src/db/localDatabase';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startLocalDatabase', () => {
  it('serves the MongoDB wire protocol on a loopback port and leaves no process behind when stopped', async () => {
    const database = await startLocalDatabase();
    expect(database.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const client = new MongoClient(database.uri);
    try {
      const items = client.db('probe').collection<{ _id: string; n: number }>('items');
      await items.insertOne({ _id: 'a', n: 1 });
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 1 });
    } finally {
      await client.close();
    }
    await database.stop();
    expect(isAlive(database.pid)).toBe(false);
    await database.stop(); // a second stop is harmless
  });
});

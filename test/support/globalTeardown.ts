/** Stops the database that globalSetup started, so a run leaves no server behind. */
export default async function globalTeardown(): Promise<void> {
  const database = globalThis.__POCO_LOCAL_DATABASE__;
  if (!database) return;
  await database.stop();
  globalThis.__POCO_LOCAL_DATABASE__ = undefined;
}

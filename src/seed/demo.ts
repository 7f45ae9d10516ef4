/**
 * seedDemoData: loads a small generated export into a database, through the
 * real importer, so `npm start` on an empty local database has something to
 * show. The well-known demo users (DEMO_USERS: `demo-user-1` ...) are always
 * part of it, so a demo token for `sub: demo-user-1` sees multi-store
 * accounts, orders, points and coupons.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import { runImport, type ImportReport } from '../importer/runImport';
import { DEFAULT_SEED, generateExport, type SeedManifest } from './generate';
import { DEMO_USERS } from './userBundle';

export interface SeedDemoDataOptions {
  /** Users to generate, the demo users included; at least DEMO_USERS.length. */
  users: number;
  seed?: number;
}

export interface DemoDataResult {
  manifest: SeedManifest;
  report: ImportReport;
}

export async function seedDemoData(db: Db, options: SeedDemoDataOptions): Promise<DemoDataResult> {
  const users = Math.max(options.users, DEMO_USERS.length);
  const dir = await mkdtemp(join(tmpdir(), 'poco-demo-export-'));
  try {
    const manifest = await generateExport({ users, seed: options.seed ?? DEFAULT_SEED, outDir: dir });
    const report = await runImport({ dir, db });
    return { manifest, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

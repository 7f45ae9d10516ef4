/**
 * Stage 2, resolve references: what a chunk's records point at (accounts,
 * orders, coupons) is looked up, then every record is normalised against
 * those answers, becoming a document or a rejection.
 *
 * One `$in` per referenced collection and chunk, and only for references the
 * run has not written or confirmed itself (see ImportRun.findReferences).
 */
import { Fields, RecordRejection } from '../fields';
import type { Doc } from '../importRun';
import type { ReferenceLookup, References } from '../kinds/kind';
import type { AnomalyKind } from '../report';
import type { PocoStore } from '../../shared/codes';
import type { FileImport } from './fileImport';
import type { ChunkEntry } from './read';

/** One chunk line after normalising: a document with its anomalies, a rejection, or (unreadable line) neither. */
export interface Outcome {
  entry: ChunkEntry;
  doc?: Doc;
  anomalies?: AnomalyKind[];
  rejection?: RecordRejection;
}

/** Looks up the chunk's references; answers a lookup the record normalisers can use. */
export async function resolveReferences(state: FileImport, entries: readonly ChunkEntry[]): Promise<ReferenceLookup> {
  const { run, kind } = state;
  const references: References = { accounts: new Set(), orders: new Set(), coupons: new Set() };
  for (const entry of entries) {
    if ('record' in entry) kind.collectReferences(new Fields(entry.record), references);
  }
  const [accounts, orders, coupons] = await Promise.all([
    run.findReferences('accounts', references.accounts),
    run.findReferences('orders', references.orders),
    run.findReferences('coupons', references.coupons),
  ]);
  return {
    accountStore: (id) => accounts.get(id) as PocoStore | undefined,
    orderExists: (id) => orders.has(id),
    couponStore: (id) => coupons.get(id) as PocoStore | undefined,
  };
}

/** Normalises every record of the chunk (lines that are not records pass through). */
export function normalizeEntries(state: FileImport, entries: readonly ChunkEntry[], lookup: ReferenceLookup): Outcome[] {
  return entries.map((entry) => {
    if (!('record' in entry)) return { entry };
    try {
      const { doc, anomalies } = state.kind.normalize(new Fields(entry.record), lookup);
      return { entry, doc, anomalies };
    } catch (error) {
      if (error instanceof RecordRejection) return { entry, rejection: error };
      throw error;
    }
  });
}

/**
 * What the import engine needs to know about one export file: which
 * collection it fills, its id field, the references it makes, and how one
 * record becomes a document. One module per file (./accounts.ts, ...).
 */
import type { Collection, Document } from 'mongodb';
import type { Collections } from '../../db/collections';
import type { PocoStore } from '../../shared/codes';
import type { Fields } from '../fields';
import type { AnomalyKind, ExportFile } from '../report';

/** What a record may reference, resolved against the database (and the batch written so far). */
export interface ReferenceLookup {
  accountStore(accountId: string): PocoStore | undefined;
  orderExists(orderId: string): boolean;
  couponStore(couponId: string): PocoStore | undefined;
}

/** The ids one chunk references, gathered before normalising so each is one `$in` query. */
export interface References {
  accounts: Set<string>;
  orders: Set<string>;
  coupons: Set<string>;
}

export interface Normalized<Doc> {
  doc: Doc;
  anomalies: AnomalyKind[];
}

/** A value that must be unique across documents of other ids (order_no, coupon code within its store). */
export interface UniqueKey<Doc extends Document> {
  reason: 'duplicate_order_no' | 'duplicate_coupon_code';
  field: string;
  keyOf(doc: Doc): string;
  describe(doc: Doc): string;
  /** The ids currently holding these keys in the database, by key. */
  findOwners(collection: Collection<Doc & Document>, docs: Doc[]): Promise<Map<string, string>>;
}

export interface RecordKind<Doc extends Document & { _id: string }> {
  file: ExportFile;
  collection: keyof Collections;
  /** The export field holding the record's id (the document's _id). */
  idField: string;
  collectReferences(fields: Fields, references: References): void;
  /** Throws RecordRejection when the record cannot be imported. */
  normalize(fields: Fields, lookup: ReferenceLookup): Normalized<Doc>;
  unique?: UniqueKey<Doc>;
}

export function requireAccountStore(fields: Fields, lookup: ReferenceLookup): { accountId: string; store: PocoStore } {
  const accountId = fields.string('account_id');
  const store = lookup.accountStore(accountId);
  if (store === undefined) {
    return fields.rejectWith('unknown_account', `account_id "${accountId}" exists neither in the batch nor in the database`, 'account_id');
  }
  return { accountId, store };
}

/**
 * The values resolvers hand to the fields below them ("parents"), mapped onto
 * the schema's object types by codegen.ts. Most are the database documents
 * themselves; the rest carry what a document lacks (a currency for Money, the
 * accounts behind a points summary).
 */
import type { CurrencyCode } from '../shared/codes';
import type { AccountDoc, AuditEntryDoc, OrderDoc, OrderItemDoc, PointsBalanceDoc, PointsTransferDoc } from '../db/documents';

/** A `User` reference: only the key. Resolving it never touches the database. */
export interface UserRef {
  id: string;
}

/** An amount of money in minor units with its currency. */
export interface MoneyValue {
  minor: number;
  currency: CurrencyCode;
}

export interface LineItemParent {
  item: OrderItemDoc;
  currency: CurrencyCode;
  /** The order of the line: its warranty is read from the order's shipments, status and store. */
  order: OrderDoc;
}

/** PocoWarranty, computed from an order (src/afterSales/warranty.ts). */
export interface WarrantyValue {
  startsAt: Date;
  endsAt: Date;
  months: number;
  status: 'ACTIVE' | 'EXPIRED';
}

export interface ProductRef {
  sku: string;
}

export interface PageInfoValue {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** One page of a keyset-paginated list, fully computed by its loader. */
export interface Page<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfoValue;
  totalCount: number;
}

/** A user's points summary: the linked accounts it sums over and their figures. */
export interface PointsAccountParent {
  userId: string;
  accounts: AccountDoc[];
  balances: PointsBalanceDoc[];
  transfers: PointsTransferDoc[];
}

/** An audit entry with the account it is stored in (entries live in their account's document). */
export interface AuditEntryParent {
  accountId: string;
  entry: AuditEntryDoc;
}

/** What pocoErasePersonalData answers: the account and when its erasure was decided. */
export interface ErasureReceiptValue {
  accountId: string;
  erasedAt: Date;
}


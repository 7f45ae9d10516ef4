/**
 * Changes made in the service win over an old export (poco-export-format.md):
 * the rules that turn an export's version of a record into the version the
 * importer may write, given what the service changed.
 *
 * - An account with `serviceLink` (support linked or unlinked it) keeps its
 *   stored `xiaomiUserId`, whatever the line says; `link_override_kept` when the
 *   line names another user than the link.
 * - An erased account (`erasure` present) keeps email `erased-<id>@invalid` and
 *   displayName null; its orders keep shippingAddress null, its feedback title
 *   and body null. `erased_data_kept` once per line that would bring a value back.
 *   Orders and feedback know erased accounts by account id alone (the set of
 *   erased account ids, read per file): the erased values are kept nowhere.
 *
 * The service-owned fields themselves (serviceLink, erasure, audit) are never
 * written by the importer: they are left out of every comparison and write.
 */
import type { AccountDoc, FeedbackDoc, OrderDoc } from '../../db/documents';
import { erasedEmailOf } from '../../privacy/hiding';
import type { Doc } from '../importRun';
import type { AnomalyKind, ExportFile } from '../report';

/** Written by the service only (TEAM.md "Service-owned account fields"). */
export const SERVICE_FIELDS = ['serviceLink', 'erasure', 'audit'] as const;


export function hasServiceFields(doc: Doc | undefined): boolean {
  return doc !== undefined && (doc.serviceLink !== undefined || doc.erasure !== undefined || doc.audit !== undefined);
}

/** The part of a stored document the export owns: without the service's fields. */
export function exportOwned(stored: Doc | undefined): Doc | undefined {
  if (!stored || !hasServiceFields(stored)) return stored;
  const { serviceLink: _link, erasure: _erasure, audit: _audit, ...owned } = stored;
  return owned as Doc;
}

/** The service's fields of a stored document, to keep them in a dry run's overlay. */
export function serviceFieldsOf(stored: Doc | undefined): Partial<Pick<AccountDoc, 'serviceLink' | 'erasure' | 'audit'>> {
  if (!stored || !hasServiceFields(stored)) return {};
  const fields: Record<string, unknown> = {};
  for (const key of SERVICE_FIELDS) if (stored[key] !== undefined) fields[key] = stored[key];
  return fields;
}

/** What the importer knows of the service's changes while it imports one file. */
export interface ServiceView {
  /** Ids of the accounts erased in the service (orders and feedback files). */
  erasedAccounts: ReadonlySet<string>;
}

const NONE: readonly AnomalyKind[] = [];

export interface KeptLine {
  doc: Doc;
  /** Service-change anomalies of this line (each at most once). */
  anomalies: readonly AnomalyKind[];
}

/**
 * One line's document as the importer may write it. `stored` is the stored
 * version of the same id (with its service fields), if any. Answers the
 * document itself (no copy) when no rule applies: the common case stays cheap.
 */
export function keepServiceChanges(file: ExportFile, doc: Doc, stored: Doc | undefined, view: ServiceView): KeptLine {
  switch (file) {
    case 'accounts':
      return keepAccount(doc as unknown as AccountDoc, stored as unknown as AccountDoc | undefined);
    case 'orders':
      return keepOrder(doc as unknown as OrderDoc, stored as unknown as OrderDoc | undefined, view);
    case 'feedback':
      return keepFeedback(doc as unknown as FeedbackDoc, stored as unknown as FeedbackDoc | undefined, view);
    case 'coupons':
    case 'coupon_reissues':
    case 'points_ledger':
    case 'points_transfers':
      // No personal data the service erases, no field the service changes.
      return { doc, anomalies: NONE };
    default: {
      const unknownFile: never = file;
      throw new Error(`no service-change rules for ${String(unknownFile)}`);
    }
  }
}

function keepAccount(doc: AccountDoc, stored: AccountDoc | undefined): KeptLine {
  if (!stored || (stored.serviceLink === undefined && stored.erasure === undefined)) return { doc: doc as unknown as Doc, anomalies: NONE };
  const kept: AccountDoc = { ...doc };
  const anomalies: AnomalyKind[] = [];
  if (stored.serviceLink !== undefined) {
    // The stored field holds the link (the service writes both in one update); never changed here.
    kept.xiaomiUserId = stored.xiaomiUserId;
    if (doc.xiaomiUserId !== stored.serviceLink.xiaomiUserId) anomalies.push('link_override_kept');
  }
  if (stored.erasure !== undefined) {
    kept.email = erasedEmailOf(doc._id);
    kept.displayName = null;
    if (doc.email !== kept.email || doc.displayName !== null) anomalies.push('erased_data_kept');
  }
  return { doc: kept as unknown as Doc, anomalies };
}

function keepOrder(doc: OrderDoc, stored: OrderDoc | undefined, view: ServiceView): KeptLine {
  if (!isErased(view, doc.accountId, stored?.accountId)) return { doc: doc as unknown as Doc, anomalies: NONE };
  return {
    doc: { ...doc, shippingAddress: null } as unknown as Doc,
    anomalies: doc.shippingAddress !== null ? ['erased_data_kept'] : NONE,
  };
}

function keepFeedback(doc: FeedbackDoc, stored: FeedbackDoc | undefined, view: ServiceView): KeptLine {
  if (!isErased(view, doc.accountId, stored?.accountId)) return { doc: doc as unknown as Doc, anomalies: NONE };
  return {
    doc: { ...doc, title: null, body: null } as unknown as Doc,
    anomalies: doc.title !== null || doc.body !== null ? ['erased_data_kept'] : NONE,
  };
}

/** The line's account or (a record moved between accounts) the stored record's account was erased. */
function isErased(view: ServiceView, accountId: string, storedAccountId: string | undefined): boolean {
  if (view.erasedAccounts.size === 0) return false;
  return view.erasedAccounts.has(accountId) || (storedAccountId !== undefined && view.erasedAccounts.has(storedAccountId));
}

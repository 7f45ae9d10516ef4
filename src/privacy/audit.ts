/**
 * Audit entries (api.md "Audit"). An entry lives in its account's document
 * (`AccountDoc.audit`) and is $push-ed by the same findOneAndUpdate that makes
 * the change, so a change without its entry, or an entry without its change,
 * cannot exist, whatever dies when: there is no second write to lose. An entry
 * holds ids, the action, the officer's trimmed reason and the request id:
 * never an erased value.
 */
import { randomUUID } from 'node:crypto';
import type { AccountDoc, AuditEntryDoc } from '../db/documents';
import type { AuditEntryParent } from '../graphql/parents';

export type AuditAction = AuditEntryDoc['action'];

export interface Actor {
  /** The token's `sub`. */
  readonly userId: string;
  readonly requestId: string;
}

export function newAuditEntry(actor: Actor, action: AuditAction, reason: string, at: Date): AuditEntryDoc {
  return { id: randomUUID(), at, actor: actor.userId, action, reason, requestId: actor.requestId };
}

/** Oldest first, ties by id ascending (api.md "Orders of other lists"). */
export function compareAuditOldestFirst(a: AuditEntryDoc, b: AuditEntryDoc): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The account's audit log as the API answers it; [] for no account. */
export function auditLogOf(account: AccountDoc | null): AuditEntryParent[] {
  if (account === null) return [];
  return [...(account.audit ?? [])].sort(compareAuditOldestFirst).map((entry) => ({ accountId: account._id, entry }));
}

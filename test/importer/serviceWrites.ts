/**
 * The service's writes to an account, in the shape TEAM.md agrees for the
 * service-owned fields (one updateOne: $set of the fields plus $push of the
 * audit entry; an erasure then scrubs orders and feedback and marks the scrub
 * done). The importer tests use them to change accounts "in the service"
 * without the GraphQL layer; they write exactly what pocoLinkAccount,
 * pocoUnlinkAccount and pocoErasePersonalData are agreed to write.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { AccountDoc, AuditEntryDoc } from '../../src/db/documents';

function auditEntry(action: AuditEntryDoc['action'], at: Date): AuditEntryDoc {
  return { id: randomUUID(), at, actor: 'test-support-agent', action, reason: 'importer test', requestId: randomUUID() };
}

async function setLink(db: Db, accountId: string, xiaomiUserId: string | null, action: AuditEntryDoc['action']): Promise<void> {
  const at = new Date();
  const result = await db
    .collection<AccountDoc>('accounts')
    .updateOne({ _id: accountId }, { $set: { xiaomiUserId, serviceLink: { xiaomiUserId, at } }, $push: { audit: auditEntry(action, at) } });
  if (result.matchedCount !== 1) throw new Error(`no account ${accountId} to ${action}`);
}

export function linkAccount(db: Db, accountId: string, xiaomiUserId: string): Promise<void> {
  return setLink(db, accountId, xiaomiUserId, 'ACCOUNT_LINKED');
}

export function unlinkAccount(db: Db, accountId: string): Promise<void> {
  return setLink(db, accountId, null, 'ACCOUNT_UNLINKED');
}

/** Decides the erasure (one write with its audit entry); `scrub: false` stops before orders and feedback are scrubbed. */
export async function eraseAccount(db: Db, accountId: string, { scrub = true } = {}): Promise<void> {
  const at = new Date();
  const result = await db.collection<AccountDoc>('accounts').updateOne(
    { _id: accountId, erasure: { $exists: false } },
    {
      $set: { email: `erased-${accountId}@invalid`, displayName: null, erasure: { at, scrubbedAt: null } },
      $push: { audit: auditEntry('PERSONAL_DATA_ERASED', at) },
    },
  );
  if (result.matchedCount !== 1) throw new Error(`no account ${accountId} to erase`);
  if (!scrub) return;
  await db.collection('orders').updateMany({ accountId }, { $set: { shippingAddress: null } });
  await db.collection('feedback').updateMany({ accountId }, { $set: { title: null, body: null } });
  await db.collection<AccountDoc>('accounts').updateOne({ _id: accountId }, { $set: { 'erasure.scrubbedAt': new Date() } });
}

/** The service-owned fields of every account, by id: what no import may change. */
export async function serviceFields(db: Db): Promise<Record<string, Pick<AccountDoc, 'serviceLink' | 'erasure' | 'audit'>>> {
  const accounts = await db.collection<AccountDoc>('accounts').find({}).sort({ _id: 1 }).toArray();
  return Object.fromEntries(
    accounts
      .filter((a) => a.serviceLink !== undefined || a.erasure !== undefined || a.audit !== undefined)
      .map((a) => [a._id, { serviceLink: a.serviceLink, erasure: a.erasure, audit: a.audit }]),
  );
}

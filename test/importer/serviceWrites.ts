/**
 * Changes "made in the service" for the importer tests: the real mutations
 * (pocoLinkAccount, pocoUnlinkAccount, pocoErasePersonalData) through the real
 * schema and resolvers, against the database the importer writes to
 * (test/resolvers/harness.ts), so the tests prove the importer keeps what the
 * service actually writes.
 */
import type { Db } from 'mongodb';
import type { AccountDoc } from '../../src/db/documents';
import type { Viewer } from '../../src/graphql/context';
import { expectNoErrors, supportViewer, type Harness } from '../resolvers/harness';

const PRIVACY_OFFICER: Viewer = { kind: 'user', userId: 'privacy-officer', scopes: new Set(['poco:privacy']), isSupport: true };

const LINK = `mutation ($accountId: ID!, $userId: ID!, $reason: String!) {
  pocoLinkAccount(accountId: $accountId, userId: $userId, reason: $reason) { id }
}`;
const UNLINK = `mutation ($accountId: ID!, $reason: String!) { pocoUnlinkAccount(accountId: $accountId, reason: $reason) { id } }`;
const ERASE = `mutation ($accountId: ID!, $reason: String!) { pocoErasePersonalData(accountId: $accountId, reason: $reason) { accountId } }`;

async function mutate(harness: Harness, query: string, viewer: Viewer, variables: Record<string, unknown>): Promise<void> {
  // The service's own clock: a change made now is newer than any export.
  const result = await harness.run(query, { viewer, variables, now: new Date() });
  expectNoErrors(result);
}

export function linkAccount(harness: Harness, accountId: string, userId: string): Promise<void> {
  return mutate(harness, LINK, supportViewer(), { accountId, userId, reason: 'ticket 11: importer test' });
}

export function unlinkAccount(harness: Harness, accountId: string): Promise<void> {
  return mutate(harness, UNLINK, supportViewer(), { accountId, reason: 'ticket 11: importer test' });
}

export function eraseAccount(harness: Harness, accountId: string): Promise<void> {
  return mutate(harness, ERASE, PRIVACY_OFFICER, { accountId, reason: 'erasure request 11: importer test' });
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

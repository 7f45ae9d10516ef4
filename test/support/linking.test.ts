/**
 * pocoLinkAccount and pocoUnlinkAccount (api.md "Linking", "Scopes", "Audit")
 * against the real schema and a real database: who may call them, argument
 * validation, repeats, the audit entries they leave (exactly one per change,
 * none for refused or repeated calls) and that the change is visible at once,
 * in the same request, in every field and in authorisation.
 */
import type { Viewer } from '../../src/graphql/context';
import { account, order } from '../resolvers/fixtures';
import { anonymous, codesOf, expectNoErrors, startHarness, supportViewer, userViewer, type Harness, type RunResult } from '../resolvers/harness';

const privacyViewer = (userId = 'privacy-officer'): Viewer => ({ kind: 'user', userId, scopes: new Set(['poco:privacy']), isSupport: true });

const LINK = `mutation ($accountId: ID!, $userId: ID!, $reason: String!) {
  pocoLinkAccount(accountId: $accountId, userId: $userId, reason: $reason) { id email user { id } }
}`;
const UNLINK = `mutation ($accountId: ID!, $reason: String!) {
  pocoUnlinkAccount(accountId: $accountId, reason: $reason) { id user { id } }
}`;
const ORDERS_OF = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { pocoOrders { totalCount nodes { id } } pocoAccounts { id } } } }`;
const ORDER = `query ($id: ID!) { pocoOrder(id: $id) { id user { id } } }`;

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness('support_linking');
  await harness.collections.accounts.insertMany([
    account('acc-free', { xiaomiUserId: null }),
    account('acc-owned', { xiaomiUserId: 'user-a' }),
    account('acc-wrong', { xiaomiUserId: 'user-wrong' }),
    account('acc-race', { xiaomiUserId: null }),
  ]);
  await harness.collections.orders.insertMany([
    order('o-free-1', 'acc-free'),
    order('o-free-2', 'acc-free', { placedAt: new Date('2023-05-01T00:00:00.000Z') }),
    order('o-owned-1', 'acc-owned'),
    order('o-wrong-1', 'acc-wrong'),
  ]);
});

afterAll(async () => {
  await harness.close();
});

async function auditOf(accountId: string) {
  const doc = await harness.collections.accounts.findOne({ _id: accountId });
  return doc?.audit ?? [];
}

async function snapshot(accountId: string) {
  return harness.collections.accounts.findOne({ _id: accountId });
}

function expectBadInput(result: RunResult, argumentName: string): void {
  expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors?.[0]?.extensions?.argumentName).toBe(argumentName);
  expect(result.data).toBeNull();
}

describe('who may link and unlink', () => {
  const cases: [string, Viewer, string][] = [
    ['no token', anonymous, 'UNAUTHENTICATED'],
    ['a user without a scope (even the account owner)', userViewer('user-a'), 'FORBIDDEN'],
    ['a privacy officer (poco:privacy is not a support scope for actions)', privacyViewer(), 'FORBIDDEN'],
    ['a token with an unrelated scope', { kind: 'user', userId: 'x', scopes: new Set(['poco:read']), isSupport: false }, 'FORBIDDEN'],
  ];
  it.each(cases)('refuses %s, changes nothing and records nothing', async (_name, viewer, code) => {
    const before = await snapshot('acc-owned');
    const link = await harness.run(LINK, { viewer, variables: { accountId: 'acc-owned', userId: 'user-b', reason: 'ticket 1' } });
    const unlink = await harness.run(UNLINK, { viewer, variables: { accountId: 'acc-owned', reason: 'ticket 1' } });
    expect(codesOf(link)).toEqual([code]);
    expect(codesOf(unlink)).toEqual([code]);
    expect(await snapshot('acc-owned')).toEqual(before);
    expect(await auditOf('acc-owned')).toEqual([]);
  });

  it('checks the scope before the arguments: no token with a blank reason is UNAUTHENTICATED', async () => {
    const result = await harness.run(LINK, { viewer: anonymous, variables: { accountId: '', userId: '', reason: ' ' } });
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('argument validation (support token): BAD_USER_INPUT naming the argument, nothing changes', () => {
  const support = supportViewer('agent-1');
  const valid = { accountId: 'acc-free', userId: 'user-new', reason: 'ticket 2' };
  const cases: [string, Record<string, unknown>, string][] = [
    ['an empty accountId', { accountId: '' }, 'accountId'],
    ['an accountId of 129 characters', { accountId: 'a'.repeat(129) }, 'accountId'],
    ['an accountId of 129 code points (astral characters count once)', { accountId: '😀'.repeat(129) }, 'accountId'],
    ['an accountId of 128 characters that names no account', { accountId: 'a'.repeat(128) }, 'accountId'],
    ['an account that does not exist', { accountId: 'acc-nope' }, 'accountId'],
    ['an empty userId', { userId: '' }, 'userId'],
    ['a blank userId', { userId: ' \t ' }, 'userId'],
    ['a userId of 129 characters', { userId: 'u'.repeat(129) }, 'userId'],
    ['an empty reason', { reason: '' }, 'reason'],
    ['a blank reason', { reason: '   \n ' }, 'reason'],
    ['a reason of 501 characters', { reason: 'r'.repeat(501) }, 'reason'],
    ['a reason of 501 code points', { reason: '🙂'.repeat(501) }, 'reason'],
  ];
  it.each(cases)('refuses %s', async (_name, override, argumentName) => {
    const before = await snapshot('acc-free');
    expectBadInput(await harness.run(LINK, { viewer: support, variables: { ...valid, ...override } }), argumentName);
    if (!('userId' in override)) {
      expectBadInput(
        await harness.run(UNLINK, { viewer: support, variables: { accountId: valid.accountId, reason: valid.reason, ...override } }),
        argumentName,
      );
    }
    expect(await snapshot('acc-free')).toEqual(before);
  });

  it.each([
    ['accountId', { accountId: { $ne: null } }],
    ['userId', { userId: { $gt: '' } }],
    ['accountId', { accountId: ['acc-free'] }],
  ])('refuses an operator object or array as %s before any resolver runs', async (name, override) => {
    const before = await snapshot('acc-free');
    const result = await harness.run(LINK, { viewer: support, variables: { ...valid, ...override } });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toContain(`$${name}`);
    expect(await snapshot('acc-free')).toEqual(before);
  });

  it('accepts a reason of exactly 500 characters after trimming, and keeps it trimmed', async () => {
    await harness.collections.accounts.insertOne(account('acc-500', { xiaomiUserId: null }));
    const reason = 'x'.repeat(500);
    const result = await harness.run(LINK, { viewer: support, variables: { accountId: 'acc-500', userId: '  user-500 ', reason: `  ${reason}\n` } });
    expectNoErrors(result);
    expect(result.data?.pocoLinkAccount.user).toEqual({ id: 'user-500' });
    const audit = await auditOf('acc-500');
    expect(audit.map((entry) => entry.reason)).toEqual([reason]);
  });

  it('validates before anything else: a repeat with a blank reason is BAD_USER_INPUT, not a repeat', async () => {
    expectBadInput(await harness.run(LINK, { viewer: support, variables: { accountId: 'acc-owned', userId: 'user-a', reason: ' ' } }), 'reason');
    expectBadInput(await harness.run(UNLINK, { viewer: support, variables: { accountId: 'acc-free', reason: '' } }), 'reason');
  });
});

describe('linking', () => {
  it('links an unlinked account with one audit entry, and the user reads its orders at once', async () => {
    const support = supportViewer('agent-7');
    const before = await harness.run(ORDERS_OF, { viewer: userViewer('user-new'), variables: { id: 'user-new' } });
    expect(before.data?._entities[0].pocoOrders.totalCount).toBe(0);
    expect(await harness.run(ORDER, { viewer: userViewer('user-new'), variables: { id: 'o-free-1' } })).toMatchObject({ data: { pocoOrder: null } });

    const result = await harness.run(LINK, { viewer: support, variables: { accountId: 'acc-free', userId: 'user-new', reason: ' ticket 42 ' } });
    expectNoErrors(result);
    expect(result.data?.pocoLinkAccount).toEqual({ id: 'acc-free', email: 'acc-free@example.com', user: { id: 'user-new' } });

    const audit = await auditOf('acc-free');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'agent-7', action: 'ACCOUNT_LINKED', reason: 'ticket 42' });
    expect(audit[0]!.requestId).toMatch(/^test-\d+$/);
    const stored = await snapshot('acc-free');
    expect(stored?.xiaomiUserId).toBe('user-new');
    expect(stored?.serviceLink).toEqual({ xiaomiUserId: 'user-new', at: audit[0]!.at });

    const after = await harness.run(ORDERS_OF, { viewer: userViewer('user-new'), variables: { id: 'user-new' } });
    expectNoErrors(after);
    expect(after.data?._entities[0]).toEqual({
      pocoOrders: { totalCount: 2, nodes: [{ id: 'o-free-2' }, { id: 'o-free-1' }] },
      pocoAccounts: [{ id: 'acc-free' }],
    });
    expect(await harness.run(ORDER, { viewer: userViewer('user-new'), variables: { id: 'o-free-1' } })).toMatchObject({
      data: { pocoOrder: { id: 'o-free-1', user: { id: 'user-new' } } },
    });
  });

  it('answers a repeat (the same user) with the account and records nothing', async () => {
    const before = await snapshot('acc-free');
    const result = await harness.run(LINK, { viewer: supportViewer(), variables: { accountId: 'acc-free', userId: 'user-new', reason: 'again' } });
    expectNoErrors(result);
    expect(result.data?.pocoLinkAccount).toEqual({ id: 'acc-free', email: 'acc-free@example.com', user: { id: 'user-new' } });
    expect(await snapshot('acc-free')).toEqual(before);
  });

  it('corrects a wrong link: the new user reads the orders, the old one no longer does', async () => {
    const support = supportViewer();
    expect((await harness.run(ORDER, { viewer: userViewer('user-wrong'), variables: { id: 'o-wrong-1' } })).data?.pocoOrder).not.toBeNull();
    const result = await harness.run(LINK, { viewer: support, variables: { accountId: 'acc-wrong', userId: 'user-right', reason: 'wrong link' } });
    expectNoErrors(result);
    expect(await auditOf('acc-wrong')).toHaveLength(1);
    expect((await harness.run(ORDER, { viewer: userViewer('user-wrong'), variables: { id: 'o-wrong-1' } })).data?.pocoOrder).toBeNull();
    expect((await harness.run(ORDER, { viewer: userViewer('user-right'), variables: { id: 'o-wrong-1' } })).data?.pocoOrder).toEqual({
      id: 'o-wrong-1',
      user: { id: 'user-right' },
    });
    const old = await harness.run(ORDERS_OF, { viewer: userViewer('user-wrong'), variables: { id: 'user-wrong' } });
    expect(old.data?._entities[0].pocoOrders.totalCount).toBe(0);
  });

  it('shows the new link to the fields selected under the mutation, in the same request', async () => {
    await harness.collections.accounts.insertOne(account('acc-same-request', { xiaomiUserId: null }));
    await harness.collections.orders.insertOne(order('o-same-request', 'acc-same-request'));
    const result = await harness.run(
      `mutation {
        first: pocoUnlinkAccount(accountId: "acc-owned", reason: "moving") { id user { id } }
        second: pocoLinkAccount(accountId: "acc-same-request", userId: "user-a", reason: "found it") {
          id user { id pocoOrders { totalCount nodes { id } } pocoAccounts { id } }
        }
      }`,
      { viewer: supportViewer() },
    );
    expectNoErrors(result);
    expect(result.data).toEqual({
      first: { id: 'acc-owned', user: null },
      second: {
        id: 'acc-same-request',
        user: { id: 'user-a', pocoOrders: { totalCount: 1, nodes: [{ id: 'o-same-request' }] }, pocoAccounts: [{ id: 'acc-same-request' }] },
      },
    });
  });

  it('records one entry when 10 identical links race, and answers each of them with the account', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        harness.run(LINK, { viewer: supportViewer(), variables: { accountId: 'acc-race', userId: 'user-race', reason: 'race' } }),
      ),
    );
    for (const result of results) expectNoErrors(result);
    expect(results.map((result) => result.data?.pocoLinkAccount.user.id)).toEqual(Array(10).fill('user-race'));
    expect(await auditOf('acc-race')).toHaveLength(1);
  });
});

describe('unlinking', () => {
  it('removes the link with one audit entry; the user no longer reads the orders', async () => {
    await harness.collections.accounts.insertOne(account('acc-unlink', { xiaomiUserId: 'user-u' }));
    await harness.collections.orders.insertOne(order('o-unlink', 'acc-unlink'));
    expect((await harness.run(ORDER, { viewer: userViewer('user-u'), variables: { id: 'o-unlink' } })).data?.pocoOrder).not.toBeNull();

    const result = await harness.run(UNLINK, { viewer: supportViewer('agent-9'), variables: { accountId: 'acc-unlink', reason: 'not theirs' } });
    expectNoErrors(result);
    expect(result.data?.pocoUnlinkAccount).toEqual({ id: 'acc-unlink', user: null });
    const audit = await auditOf('acc-unlink');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'agent-9', action: 'ACCOUNT_UNLINKED', reason: 'not theirs' });
    expect((await snapshot('acc-unlink'))?.serviceLink).toEqual({ xiaomiUserId: null, at: audit[0]!.at });

    expect((await harness.run(ORDER, { viewer: userViewer('user-u'), variables: { id: 'o-unlink' } })).data?.pocoOrder).toBeNull();
    const list = await harness.run(ORDERS_OF, { viewer: userViewer('user-u'), variables: { id: 'user-u' } });
    expect(list.data?._entities[0]).toEqual({ pocoOrders: { totalCount: 0, nodes: [] }, pocoAccounts: [] });
  });

  it('answers unlinking an unlinked account with the account and records nothing', async () => {
    const before = await snapshot('acc-unlink');
    const result = await harness.run(UNLINK, { viewer: supportViewer(), variables: { accountId: 'acc-unlink', reason: 'again' } });
    expectNoErrors(result);
    expect(result.data?.pocoUnlinkAccount).toEqual({ id: 'acc-unlink', user: null });
    expect(await snapshot('acc-unlink')).toEqual(before);
  });
});

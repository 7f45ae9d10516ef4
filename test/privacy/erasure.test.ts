/**
 * pocoErasePersonalData and pocoAuditLog against the real schema and a real
 * database (api.md "Erasure", "Audit", "Scopes"): who may call them,
 * validation, the erased fields, the hiding of values from the decision on
 * (before the scrub has reached the other collections), retries that finish a
 * pending scrub, repeats, and 20 concurrent calls.
 */
import type { Viewer } from '../../src/graphql/context';
import { decideErasure } from '../../src/privacy/data';
import { newAuditEntry } from '../../src/privacy/audit';
import { account, feedback, order } from '../resolvers/fixtures';
import { anonymous, codesOf, expectNoErrors, startHarness, supportViewer, userViewer, type Harness, type RunResult } from '../resolvers/harness';

const privacyViewer = (userId = 'privacy-officer'): Viewer => ({ kind: 'user', userId, scopes: new Set(['poco:privacy']), isSupport: true });

const ERASE = `mutation ($accountId: ID!, $reason: String!) {
  pocoErasePersonalData(accountId: $accountId, reason: $reason) { accountId erasedAt }
}`;
const AUDIT = `query ($accountId: ID!) { pocoAuditLog(accountId: $accountId) { id at actor action accountId reason requestId } }`;
const BY_EMAIL = `query ($email: String!) { pocoAccountsByEmail(email: $email) { id } }`;
const ORDER = `query ($id: ID!) { pocoOrder(id: $id) {
  id total { amount } shippingAddress { name line1 line2 city postalCode countryCode }
  feedback { id rating title body reply { body } }
  account { id email displayName user { id } } } }`;

const ADDRESS = { name: 'Zoé Quintrelle', line1: '7 Rue des Ormeaux', line2: 'Bât. C', city: 'Lyon', postcode: '69003', country: 'FR' };

let harness: Harness;

async function seedCustomer(id: string, userId: string | null = `user-${id}`): Promise<void> {
  await harness.collections.accounts.insertOne(account(id, { xiaomiUserId: userId, email: `${id}@mail.example`, displayName: `Display ${id}` }));
  await harness.collections.orders.insertMany([
    order(`${id}-o1`, id, { orderNo: `NO-${id}-1`, shippingAddress: ADDRESS }),
    order(`${id}-o2`, id, { orderNo: `NO-${id}-2`, shippingAddress: ADDRESS, placedAt: new Date('2023-03-01T00:00:00.000Z') }),
  ]);
  await harness.collections.feedback.insertMany([
    feedback(`${id}-f1`, `${id}-o1`, id, { title: `Title by ${id}`, body: `Body by ${id}`, reply: { body: 'Thanks from the shop', at: new Date('2023-02-02T00:00:00.000Z') } }),
  ]);
}

beforeAll(async () => {
  harness = await startHarness('privacy_erasure');
  for (const id of ['acc-scopes', 'acc-erase', 'acc-pending', 'acc-concurrent', 'acc-audit']) await seedCustomer(id);
});

afterAll(async () => {
  await harness.close();
});

const snapshot = (id: string) => harness.collections.accounts.findOne({ _id: id });

function expectBadInput(result: RunResult, argumentName: string): void {
  expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors?.[0]?.extensions?.argumentName).toBe(argumentName);
}

describe('who may erase', () => {
  it.each<[string, Viewer, string]>([
    ['no token', anonymous, 'UNAUTHENTICATED'],
    ['the account owner', userViewer('user-acc-scopes'), 'FORBIDDEN'],
    ['support (poco:support)', supportViewer(), 'FORBIDDEN'],
  ])('refuses %s, changes nothing and records nothing', async (_name, viewer, code) => {
    const before = await snapshot('acc-scopes');
    const ordersBefore = await harness.collections.orders.find({ accountId: 'acc-scopes' }).toArray();
    const result = await harness.run(ERASE, { viewer, variables: { accountId: 'acc-scopes', reason: 'request 1' } });
    expect(codesOf(result)).toEqual([code]);
    expect(await snapshot('acc-scopes')).toEqual(before);
    expect(await harness.collections.orders.find({ accountId: 'acc-scopes' }).toArray()).toEqual(ordersBefore);
    expect(before?.audit).toBeUndefined();
  });
});

describe('erasure argument validation (poco:privacy)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an empty accountId', { accountId: '' }, 'accountId'],
    ['an accountId of 129 characters', { accountId: 'a'.repeat(129) }, 'accountId'],
    ['an account that does not exist', { accountId: 'acc-none' }, 'accountId'],
    ['an empty reason', { reason: '' }, 'reason'],
    ['a blank reason', { reason: ' \t\n' }, 'reason'],
    ['a reason of 501 characters', { reason: 'r'.repeat(501) }, 'reason'],
  ])('refuses %s and changes nothing', async (_name, override, argumentName) => {
    const before = await snapshot('acc-scopes');
    expectBadInput(await harness.run(ERASE, { viewer: privacyViewer(), variables: { accountId: 'acc-scopes', reason: 'request 2', ...override } }), argumentName);
    expect(await snapshot('acc-scopes')).toEqual(before);
  });

  it('refuses an operator object as accountId', async () => {
    const result = await harness.run(ERASE, { viewer: privacyViewer(), variables: { accountId: { $exists: true }, reason: 'request' } });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(await harness.collections.accounts.countDocuments({ erasure: { $exists: true } })).toBe(0);
  });
});

describe('erasing an account', () => {
  let receipt: { accountId: string; erasedAt: string };

  it('answers a receipt, records one entry and erases every personal field but keeps the financial records and the link', async () => {
    const result = await harness.run(ERASE, { viewer: privacyViewer('officer-1'), variables: { accountId: 'acc-erase', reason: '  DSR-2025-17  ' } });
    expectNoErrors(result);
    receipt = result.data?.pocoErasePersonalData;
    expect(receipt.accountId).toBe('acc-erase');

    const stored = await snapshot('acc-erase');
    expect(stored).toMatchObject({ email: 'erased-acc-erase@invalid', displayName: null, xiaomiUserId: 'user-acc-erase' });
    expect(stored?.erasure?.at.toISOString()).toBe(receipt.erasedAt);
    expect(stored?.erasure?.scrubbedAt).toBeInstanceOf(Date);
    expect(stored?.audit).toHaveLength(1);
    expect(stored?.audit?.[0]).toMatchObject({ actor: 'officer-1', action: 'PERSONAL_DATA_ERASED', reason: 'DSR-2025-17' });
    // The audit entry holds nothing of what was erased.
    expect(JSON.stringify(stored?.audit)).not.toMatch(/mail\.example|Display acc-erase|Quintrelle|Ormeaux|Title by|Body by/);

    const orders = await harness.collections.orders.find({ accountId: 'acc-erase' }).toArray();
    expect(orders.map((o) => [o._id, o.shippingAddress, o.total])).toEqual([
      ['acc-erase-o1', null, 27900],
      ['acc-erase-o2', null, 27900],
    ]);
    const fb = await harness.collections.feedback.find({ accountId: 'acc-erase' }).toArray();
    expect(fb.map((f) => [f.title, f.body, f.rating, f.reply?.body])).toEqual([[null, null, 5, 'Thanks from the shop']]);
  });

  it('shows the erased account through the API without a trace of the old values', async () => {
    const result = await harness.run(ORDER, { viewer: userViewer('user-acc-erase'), variables: { id: 'acc-erase-o1' } });
    expectNoErrors(result);
    expect(result.data?.pocoOrder).toEqual({
      id: 'acc-erase-o1',
      total: { amount: '279.00' },
      shippingAddress: null,
      feedback: [{ id: 'acc-erase-f1', rating: 5, title: null, body: null, reply: { body: 'Thanks from the shop' } }],
      account: { id: 'acc-erase', email: 'erased-acc-erase@invalid', displayName: null, user: { id: 'user-acc-erase' } },
    });
  });

  it('is found neither by its old address nor by the placeholder', async () => {
    for (const email of ['acc-erase@mail.example', ' ACC-ERASE@mail.example ', 'erased-acc-erase@invalid']) {
      const result = await harness.run(BY_EMAIL, { viewer: supportViewer(), variables: { email } });
      expectNoErrors(result);
      expect(result.data?.pocoAccountsByEmail).toEqual([]);
    }
    // The same query still finds an account that was not erased.
    const other = await harness.run(BY_EMAIL, { viewer: supportViewer(), variables: { email: 'acc-audit@mail.example' } });
    expect(other.data?.pocoAccountsByEmail).toEqual([{ id: 'acc-audit' }]);
  });

  it('answers a repeat with the first receipt and changes nothing', async () => {
    const before = await snapshot('acc-erase');
    const again = await harness.run(ERASE, { viewer: privacyViewer('officer-2'), variables: { accountId: 'acc-erase', reason: 'again' } });
    expectNoErrors(again);
    expect(again.data?.pocoErasePersonalData).toEqual(receipt);
    expect(await snapshot('acc-erase')).toEqual(before);
  });

  it('gives the same receipt and exactly one audit entry to 20 concurrent calls', async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        harness.run(ERASE, { viewer: privacyViewer(`officer-${i}`), variables: { accountId: 'acc-concurrent', reason: `parallel ${i}` } }),
      ),
    );
    console.log(`[figures] 20 concurrent erasures of one account answered in ${Date.now() - started} ms`);
    for (const result of results) expectNoErrors(result);
    const receipts = new Set(results.map((result) => JSON.stringify(result.data?.pocoErasePersonalData)));
    expect(receipts.size).toBe(1);
    const stored = await snapshot('acc-concurrent');
    expect(stored?.audit).toHaveLength(1);
    expect(stored?.erasure?.at.toISOString()).toBe(JSON.parse([...receipts][0]!).erasedAt);
    expect(stored?.erasure?.scrubbedAt).toBeInstanceOf(Date);
    expect(await harness.collections.orders.countDocuments({ accountId: 'acc-concurrent', shippingAddress: { $ne: null } })).toBe(0);
  });
});

describe('an erasure decided but not yet scrubbed (the process died in between)', () => {
  it('hides the erased values in every read, and a retry finishes the scrub without a second entry', async () => {
    // Only the deciding write, exactly as the mutation makes it.
    const entry = newAuditEntry({ userId: 'officer-x', requestId: 'req-x' }, 'PERSONAL_DATA_ERASED', 'DSR-9', new Date('2025-05-30T10:00:00.000Z'));
    expect(await decideErasure(harness.collections, 'acc-pending', entry)).not.toBeNull();
    // The other collections still hold the values...
    expect(await harness.collections.orders.countDocuments({ accountId: 'acc-pending', shippingAddress: { $ne: null } })).toBe(2);
    expect(await harness.collections.feedback.countDocuments({ accountId: 'acc-pending', title: { $ne: null } })).toBe(1);

    // ...and no response shows them.
    for (const viewer of [userViewer('user-acc-pending'), supportViewer(), privacyViewer()]) {
      for (const id of ['acc-pending-o1', 'acc-pending-o2']) {
        const result = await harness.run(ORDER, { viewer, variables: { id } });
        expectNoErrors(result);
        expect(result.data?.pocoOrder.shippingAddress).toBeNull();
        expect(result.data?.pocoOrder.account).toMatchObject({ email: 'erased-acc-pending@invalid', displayName: null });
        for (const item of result.data?.pocoOrder.feedback ?? []) expect([item.title, item.body]).toEqual([null, null]);
      }
    }
    const me = await harness.run(
      `query { _entities(representations: [{ __typename: "User", id: "user-acc-pending" }]) { ... on User {
        pocoAccounts { email displayName orders { nodes { shippingAddress { city } feedback { title body } } } }
        pocoOrders { nodes { shippingAddress { name line1 city } feedback { title body } } } } } }`,
      { viewer: userViewer('user-acc-pending') },
    );
    expectNoErrors(me);
    expect(JSON.stringify(me.data)).not.toMatch(/Quintrelle|Ormeaux|Lyon|Title by|Body by|mail\.example|Display acc-pending/);
    expect(me.data?._entities[0].pocoOrders.nodes).toHaveLength(2);

    const retry = await harness.run(ERASE, { viewer: privacyViewer(), variables: { accountId: 'acc-pending', reason: 'retry' } });
    expectNoErrors(retry);
    expect(retry.data?.pocoErasePersonalData).toEqual({ accountId: 'acc-pending', erasedAt: '2025-05-30T10:00:00.000Z' });
    expect(await harness.collections.orders.countDocuments({ accountId: 'acc-pending', shippingAddress: { $ne: null } })).toBe(0);
    expect(await harness.collections.feedback.countDocuments({ accountId: 'acc-pending', $or: [{ title: { $ne: null } }, { body: { $ne: null } }] })).toBe(0);
    const stored = await snapshot('acc-pending');
    expect(stored?.erasure?.scrubbedAt).toBeInstanceOf(Date);
    expect(stored?.audit?.map((e) => e.id)).toEqual([entry.id]);
  });
});

describe('pocoAuditLog', () => {
  beforeAll(async () => {
    const support = supportViewer('agent-a');
    const steps = [
      `mutation { pocoUnlinkAccount(accountId: "acc-audit", reason: "first") { id } }`,
      `mutation { pocoLinkAccount(accountId: "acc-audit", userId: "user-other", reason: "second") { id } }`,
    ];
    for (const query of steps) expectNoErrors(await harness.run(query, { viewer: support, now: new Date('2025-06-01T10:00:00.000Z') }));
    expectNoErrors(await harness.run(ERASE, { viewer: privacyViewer('officer-b'), variables: { accountId: 'acc-audit', reason: 'third' }, now: new Date('2025-06-01T09:00:00.000Z') }));
  });

  it('lists every change oldest first, with actor, reason and request id', async () => {
    const result = await harness.run(AUDIT, { viewer: supportViewer(), variables: { accountId: 'acc-audit' } });
    expectNoErrors(result);
    const log = result.data?.pocoAuditLog as { id: string; at: string; actor: string; action: string; accountId: string; reason: string; requestId: string }[];
    // The erasure's clock was earlier: oldest first is by `at`, not by when the entry was pushed.
    expect(log.map((e) => [e.at, e.action, e.actor, e.reason, e.accountId])).toEqual([
      ['2025-06-01T09:00:00.000Z', 'PERSONAL_DATA_ERASED', 'officer-b', 'third', 'acc-audit'],
      ['2025-06-01T10:00:00.000Z', expect.stringMatching(/^ACCOUNT_(UN)?LINKED$/), 'agent-a', expect.any(String), 'acc-audit'],
      ['2025-06-01T10:00:00.000Z', expect.stringMatching(/^ACCOUNT_(UN)?LINKED$/), 'agent-a', expect.any(String), 'acc-audit'],
    ]);
    // Same `at`: ties by id ascending.
    expect(log[1]!.id < log[2]!.id).toBe(true);
    for (const entry of log) expect(entry.requestId).toMatch(/^test-\d+$/);
    expect(new Set(log.map((e) => e.id)).size).toBe(3);
  });

  it('is readable with poco:privacy too, and answers [] for an account that does not exist', async () => {
    const privacy = await harness.run(AUDIT, { viewer: privacyViewer(), variables: { accountId: 'acc-audit' } });
    expect(privacy.data?.pocoAuditLog).toHaveLength(3);
    const none = await harness.run(AUDIT, { viewer: supportViewer(), variables: { accountId: 'acc-never-existed' } });
    expectNoErrors(none);
    expect(none.data?.pocoAuditLog).toEqual([]);
  });

  it('refuses callers without a scope, and bad ids', async () => {
    expect(codesOf(await harness.run(AUDIT, { viewer: anonymous, variables: { accountId: 'acc-audit' } }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await harness.run(AUDIT, { viewer: userViewer('user-other'), variables: { accountId: 'acc-audit' } }))).toEqual(['FORBIDDEN']);
    expectBadInput(await harness.run(AUDIT, { viewer: supportViewer(), variables: { accountId: '' } }), 'accountId');
    expectBadInput(await harness.run(AUDIT, { viewer: supportViewer(), variables: { accountId: 'a'.repeat(129) } }), 'accountId');
  });

  it('has no entry for accounts only refused or repeated calls touched', async () => {
    const result = await harness.run(AUDIT, { viewer: supportViewer(), variables: { accountId: 'acc-scopes' } });
    expect(result.data?.pocoAuditLog).toEqual([]);
  });
});

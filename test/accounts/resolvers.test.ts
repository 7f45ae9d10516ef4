import { account, at, order } from '../resolvers/fixtures';
import { anonymous, codesOf, expectNoErrors, startHarness, supportViewer, userViewer, type Harness } from '../resolvers/harness';

let harness: Harness;

const ACCOUNTS_OF = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { id pocoAccounts { id store email displayName registeredAt migratedAt user { id } } } } }`;

beforeAll(async () => {
  harness = await startHarness('accounts');
  await harness.collections.accounts.insertMany([
    account('acc-z', { xiaomiUserId: 'u1', store: 'DE', registeredAt: at('2019-05-01T00:00:00.000Z'), displayName: null }),
    // Same registeredAt as acc-b: ties by id ascending.
    account('acc-c', { xiaomiUserId: 'u1', store: 'FR', registeredAt: at('2018-01-01T00:00:00.000Z') }),
    account('acc-b', { xiaomiUserId: 'u1', store: 'GLOBAL', registeredAt: at('2018-01-01T00:00:00.000Z') }),
    account('acc-u2', { xiaomiUserId: 'u2', email: 'shared@example.com', registeredAt: at('2021-01-01T00:00:00.000Z') }),
    account('acc-free', { xiaomiUserId: null, email: 'shared@example.com', store: 'PL', registeredAt: at('2017-01-01T00:00:00.000Z') }),
  ]);
  await harness.collections.orders.insertMany([order('o-free', 'acc-free')]);
});

afterAll(async () => {
  await harness.close();
});

describe('User.pocoAccounts', () => {
  it('lists the linked accounts oldest registeredAt first, ties by id ascending, with every field', async () => {
    const result = await harness.run(ACCOUNTS_OF, { viewer: userViewer('u1'), variables: { id: 'u1' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoAccounts).toEqual([
      {
        id: 'acc-b',
        store: 'GLOBAL',
        email: 'acc-b@example.com',
        displayName: 'Name of acc-b',
        registeredAt: '2018-01-01T00:00:00.000Z',
        migratedAt: '2024-12-01T00:00:00.000Z',
        user: { id: 'u1' },
      },
      expect.objectContaining({ id: 'acc-c', store: 'FR' }),
      expect.objectContaining({ id: 'acc-z', store: 'DE', displayName: null }),
    ]);
  });

  it('is [] for a user without linked accounts', async () => {
    const result = await harness.run(ACCOUNTS_OF, { viewer: userViewer('u9'), variables: { id: 'u9' } });
    expectNoErrors(result);
    expect(result.data!._entities[0]).toEqual({ id: 'u9', pocoAccounts: [] });
  });

  it.each([
    ['anonymous', anonymous, 'UNAUTHENTICATED'],
    ['another user', userViewer('u2'), 'FORBIDDEN'],
  ])('is null for %s with the error code, the id still answered', async (_who, viewer, code) => {
    const result = await harness.run(ACCOUNTS_OF, { viewer, variables: { id: 'u1' } });
    expect(result.data!._entities[0]).toEqual({ id: 'u1', pocoAccounts: null });
    expect(codesOf(result)).toEqual([code]);
  });

  it('is readable by support', async () => {
    const result = await harness.run(ACCOUNTS_OF, { viewer: supportViewer(), variables: { id: 'u1' } });
    expectNoErrors(result);
    expect(result.data!._entities[0].pocoAccounts).toHaveLength(3);
  });
});

describe('Query.pocoAccountsByEmail', () => {
  const BY_EMAIL = `query ($email: String!) { pocoAccountsByEmail(email: $email) { id store user { id } } }`;

  it('finds linked and unlinked accounts after trimming and lower-casing, oldest first', async () => {
    const result = await harness.run(BY_EMAIL, { viewer: supportViewer(), variables: { email: '  Shared@EXAMPLE.com \t' } });
    expectNoErrors(result);
    expect(result.data!.pocoAccountsByEmail).toEqual([
      { id: 'acc-free', store: 'PL', user: null },
      { id: 'acc-u2', store: 'GLOBAL', user: { id: 'u2' } },
    ]);
  });

  it('lets support read the orders of an unlinked account found by email', async () => {
    const result = await harness.run(
      `query { pocoAccountsByEmail(email: "shared@example.com") { id orders { totalCount nodes { id } } } }`,
      { viewer: supportViewer() },
    );
    expectNoErrors(result);
    expect(result.data!.pocoAccountsByEmail[0]).toEqual({ id: 'acc-free', orders: { totalCount: 1, nodes: [{ id: 'o-free' }] } });
  });

  it('answers [] for an address nobody has', async () => {
    const result = await harness.run(BY_EMAIL, { viewer: supportViewer(), variables: { email: 'nobody@example.com' } });
    expectNoErrors(result);
    expect(result.data!.pocoAccountsByEmail).toEqual([]);
  });

  it.each([
    ['anonymous', anonymous, 'UNAUTHENTICATED'],
    ['a user, even for their own address', userViewer('u2'), 'FORBIDDEN'],
  ])('refuses %s', async (_who, viewer, code) => {
    const result = await harness.run(BY_EMAIL, { viewer, variables: { email: 'shared@example.com' } });
    expect(result.data).toBeNull();
    expect(codesOf(result)).toEqual([code]);
  });

  it.each([['   '], ['x'.repeat(400)]])('rejects a blank or oversized address (%#) with BAD_USER_INPUT naming `email`', async (email) => {
    const result = await harness.run(BY_EMAIL, { viewer: supportViewer(), variables: { email } });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argumentName).toBe('email');
  });
});

/**
 * The supergraph end to end: our subgraph, the sample accounts and
 * support-tickets subgraphs and the gateway, each on a real loopback port,
 * queried over HTTP as a browser or app would query Xiaomi's router.
 *
 * One suite, run twice: against startSubgraph in the test process
 * (gateway.test.ts) and against the compiled build running as its own process,
 * `node dist/src/main.js` (compiledBuild.test.ts).
 */
import { openTestDatabase, type TestDatabase } from '../support/database';
import { errorCodesAt, postGraphQL, startE2EStack, type E2EStack } from '../support/e2eStack';
import { writeFixture } from '../support/e2eFixtures';

export function describeGatewaySuite(poco: 'in-process' | 'compiled'): void {
  const SUPPORT = ['poco:support'];

  let testDb: TestDatabase;
  let stack: E2EStack;

  beforeAll(async () => {
    testDb = await openTestDatabase('e2e_gateway');
    await writeFixture(testDb.db);
    stack = await startE2EStack({
      testDb,
      poco,
      tickets: [
        { id: 'T-1', subject: 'Where is my X5?', orderId: 'ord-uk-1' },
        { id: 'T-2', subject: 'Refund for buds', orderId: 'ord-fr-2' },
        { id: 'T-3', subject: 'Old order from an unlinked account', orderId: 'ord-pl-unlinked' },
        { id: 'T-4', subject: 'Order that never existed', orderId: 'ord-nope' },
        { id: 'T-5', subject: 'Bea asks about her M4', orderId: 'ord-de-2' },
      ],
    });
    // A compiled subgraph is a process to spawn and wait for: more than the default hook timeout on a loaded machine.
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await testDb?.drop();
  });

  const gateway = (query: string, options: { token?: string; variables?: Record<string, unknown> } = {}) =>
    postGraphQL(stack.gatewayUrl, query, options);

  const ME_QUERY = /* GraphQL */ `
    {
      me {
        name
        pocoOrders {
          totalCount
          nodes {
            orderNumber
            total { amount currencyCode }
            lineItems { productName }
          }
        }
        pocoPoints { balance transfers { xiaomiPoints } }
        pocoCoupons { code status reissue { xiaomiCouponCode } }
      }
    }
  `;

  describe('a merged query through the gateway', () => {
    it("answers `me` with the accounts subgraph's name and the user's POCO history from ours", async () => {
      const response = await gateway(ME_QUERY, { token: await stack.token('demo-user-1') });

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        me: {
          name: 'Alex Demo',
          pocoOrders: {
            totalCount: 3,
            // Both stores' orders under one Xiaomi user, newest first.
            nodes: [
              {
                orderNumber: 'UK-2001',
                total: { amount: '317.49', currencyCode: 'GBP' },
                lineItems: [{ productName: 'POCO X5 Pro' }, { productName: 'POCO X5 Case' }],
              },
              { orderNumber: 'FR-1002', total: { amount: '79.99', currencyCode: 'EUR' }, lineItems: [{ productName: 'POCO Buds Pro' }] },
              { orderNumber: 'FR-1001', total: { amount: '349.00', currencyCode: 'EUR' }, lineItems: [{ productName: 'POCO F3' }] },
            ],
          },
          pocoPoints: { balance: 100, transfers: [{ xiaomiPoints: 450 }] },
          pocoCoupons: [
            { code: 'UKFREESHIP', status: 'ACTIVE', reissue: null },
            { code: 'UKSAVE5', status: 'REDEEMED', reissue: null },
            { code: 'FRWELCOME10', status: 'REISSUED', reissue: { xiaomiCouponCode: 'MI-FR-WELCOME-77' } },
          ],
        },
      });
    });

    it('lets support read a list of users by id, with empty history for a user who never shopped at POCO', async () => {
      const response = await gateway(
        /* GraphQL */ `
          query Users($a: ID!, $b: ID!, $c: ID!) {
            a: user(id: $a) { id name pocoOrders { totalCount nodes { orderNumber } } pocoPoints { balance } pocoAccounts { store } }
            b: user(id: $b) { id name pocoOrders { totalCount nodes { orderNumber } } pocoPoints { balance } pocoAccounts { store } }
            c: user(id: $c) { id name pocoOrders { totalCount nodes { orderNumber } } pocoPoints { balance } pocoAccounts { store } }
          }
        `,
        { token: await stack.token('support-agent-1', SUPPORT), variables: { a: 'demo-user-1', b: 'demo-user-2', c: 'xiaomi-user-without-poco' } },
      );

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({
        a: {
          id: 'demo-user-1',
          name: 'Alex Demo',
          pocoOrders: { totalCount: 3, nodes: [{ orderNumber: 'UK-2001' }, { orderNumber: 'FR-1002' }, { orderNumber: 'FR-1001' }] },
          pocoPoints: { balance: 100 },
          pocoAccounts: [{ store: 'FR' }, { store: 'UK' }],
        },
        b: {
          id: 'demo-user-2',
          name: 'Bea Demo',
          pocoOrders: { totalCount: 1, nodes: [{ orderNumber: 'DE-3001' }] },
          pocoPoints: { balance: 0 },
          pocoAccounts: [{ store: 'DE' }],
        },
        c: {
          id: 'xiaomi-user-without-poco',
          name: 'Noa Never-Shopped',
          pocoOrders: { totalCount: 0, nodes: [] },
          pocoPoints: null,
          pocoAccounts: [],
        },
      });
    });

    it('pages through `me { pocoOrders }` with the cursors the gateway passes back', async () => {
      const token = await stack.token('demo-user-1');
      const query = /* GraphQL */ `
        query Page($after: String) {
          me { pocoOrders(first: 2, after: $after) { totalCount nodes { orderNumber } pageInfo { hasNextPage endCursor } } }
        }
      `;
      const first = await gateway(query, { token, variables: { after: null } });
      const firstPage = first.data?.me?.pocoOrders;
      expect(firstPage.nodes).toEqual([{ orderNumber: 'UK-2001' }, { orderNumber: 'FR-1002' }]);
      expect(firstPage.pageInfo.hasNextPage).toBe(true);

      const second = await gateway(query, { token, variables: { after: firstPage.pageInfo.endCursor } });
      expect(second.data?.me?.pocoOrders.nodes).toEqual([{ orderNumber: 'FR-1001' }]);
      expect(second.data?.me?.pocoOrders.pageInfo.hasNextPage).toBe(false);
      expect(second.data?.me?.pocoOrders.totalCount).toBe(3);
    });
  });

  describe('bad input through the gateway', () => {
    it('passes our BAD_USER_INPUT through, naming the argument, with the rest of the response intact', async () => {
      const response = await gateway(
        /* GraphQL */ `{ me { name pocoOrders(first: 2, after: "not-a-cursor-of-ours") { totalCount } } }`,
        { token: await stack.token('demo-user-1') },
      );
      expect(response.data?.me).toEqual({ name: 'Alex Demo', pocoOrders: null });
      const [error] = response.errors ?? [];
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error?.extensions?.argumentName).toBe('after');
      expect(error?.path).toEqual(['me', 'pocoOrders']);
      expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at [A-Za-z]+ \(/);
    });
  });

  describe('PocoOrder references from another subgraph', () => {
    const TICKETS = /* GraphQL */ `
      { supportTickets { id order { id orderNumber store total { amount currencyCode } } } }
    `;

    it('resolves every referenced order for support, and null for an id that names no order', async () => {
      const response = await gateway(TICKETS, { token: await stack.token('support-agent-1', SUPPORT) });

      expect(response.errors).toBeUndefined();
      expect(response.data?.supportTickets).toEqual([
        { id: 'T-1', order: { id: 'ord-uk-1', orderNumber: 'UK-2001', store: 'UK', total: { amount: '317.49', currencyCode: 'GBP' } } },
        { id: 'T-2', order: { id: 'ord-fr-2', orderNumber: 'FR-1002', store: 'FR', total: { amount: '79.99', currencyCode: 'EUR' } } },
        { id: 'T-3', order: { id: 'ord-pl-unlinked', orderNumber: 'PL-4001', store: 'PL', total: { amount: '1199.00', currencyCode: 'PLN' } } },
        { id: 'T-4', order: null },
        { id: 'T-5', order: { id: 'ord-de-2', orderNumber: 'DE-3001', store: 'DE', total: { amount: '249.00', currencyCode: 'EUR' } } },
      ]);
    });

    it("resolves a user's own orders and hides others' as if they did not exist", async () => {
      const response = await gateway(TICKETS, { token: await stack.token('demo-user-1') });

      const orders = (response.data?.supportTickets as { id: string; order: { orderNumber: string } | null }[]).map((ticket) => [
        ticket.id,
        ticket.order?.orderNumber ?? null,
      ]);
      expect(orders).toEqual([
        ['T-1', 'UK-2001'],
        ['T-2', 'FR-1002'],
        ['T-3', null],
        ['T-4', null],
        ['T-5', null],
      ]);
      // "No hint whether it exists": another user's order answers exactly like a missing one.
      const codesOf = (index: number) => errorCodesAt(response, `supportTickets.${index}.order`).sort();
      expect(codesOf(4)).toEqual(codesOf(3));
      expect(codesOf(2)).toEqual(codesOf(3));
    });
  });

  describe('who may read what, through the gateway', () => {
    const USER_QUERY = /* GraphQL */ `
      query ($id: ID!) { user(id: $id) { id name pocoOrders { totalCount } pocoPoints { balance } pocoCoupons { code } pocoAccounts { id } } }
    `;
    const POCO_FIELDS = ['pocoOrders', 'pocoPoints', 'pocoCoupons', 'pocoAccounts'];

    it('without a token answers UNAUTHENTICATED on every poco* field but still gives the name', async () => {
      const response = await gateway(USER_QUERY, { variables: { id: 'demo-user-1' } });

      expect(response.data?.user).toEqual({
        id: 'demo-user-1',
        name: 'Alex Demo',
        pocoOrders: null,
        pocoPoints: null,
        pocoCoupons: null,
        pocoAccounts: null,
      });
      for (const field of POCO_FIELDS) expect(errorCodesAt(response, `user.${field}`)).toEqual(['UNAUTHENTICATED']);
    });

    it('treats a token that does not verify like no token', async () => {
      const forged = `${(await stack.token('demo-user-1')).slice(0, -4)}AAAA`;
      const response = await gateway(USER_QUERY, { token: forged, variables: { id: 'demo-user-1' } });

      expect(response.data?.user?.name).toBe('Alex Demo');
      expect(response.data?.user?.pocoOrders).toBeNull();
      expect(errorCodesAt(response, 'user.pocoOrders')).toEqual(['UNAUTHENTICATED']);
    });

    it("answers FORBIDDEN on another user's poco* fields", async () => {
      const response = await gateway(USER_QUERY, { token: await stack.token('demo-user-2'), variables: { id: 'demo-user-1' } });

      expect(response.data?.user?.name).toBe('Alex Demo');
      for (const field of POCO_FIELDS) {
        expect(response.data?.user?.[field]).toBeNull();
        expect(errorCodesAt(response, `user.${field}`)).toEqual(['FORBIDDEN']);
      }
    });

    it("lets a support token read anyone's poco* fields", async () => {
      const response = await gateway(USER_QUERY, { token: await stack.token('support-agent-1', SUPPORT), variables: { id: 'demo-user-2' } });

      expect(response.errors).toBeUndefined();
      expect(response.data?.user).toEqual({
        id: 'demo-user-2',
        name: 'Bea Demo',
        pocoOrders: { totalCount: 1 },
        pocoPoints: { balance: 0 },
        pocoCoupons: [],
        pocoAccounts: [{ id: 'acc-de-2' }],
      });
    });

    it('finds unlinked accounts by email for support only', async () => {
      const query = /* GraphQL */ `
        query ($email: String!) { pocoAccountsByEmail(email: $email) { id store user { id } orders { nodes { orderNumber } } } }
      `;
      const asSupport = await gateway(query, { token: await stack.token('support-agent-1', SUPPORT), variables: { email: '  GHOST@example.com ' } });
      expect(asSupport.errors).toBeUndefined();
      expect(asSupport.data?.pocoAccountsByEmail).toEqual([
        { id: 'acc-pl-unlinked', store: 'PL', user: null, orders: { nodes: [{ orderNumber: 'PL-4001' }] } },
      ]);

      const asUser = await gateway(query, { token: await stack.token('demo-user-1'), variables: { email: 'ghost@example.com' } });
      expect(asUser.data?.pocoAccountsByEmail ?? null).toBeNull();
      expect(errorCodesAt(asUser, 'pocoAccountsByEmail')).toEqual(['FORBIDDEN']);
    });
  });

  describe('support links an account, through the gateway', () => {
    const ME = /* GraphQL */ `{ me { name pocoAccounts { id store } pocoOrders { totalCount nodes { orderNumber total { amount currencyCode } } } } }`;
    const LINK = /* GraphQL */ `
      mutation ($accountId: ID!, $userId: ID!, $reason: String!) {
        pocoLinkAccount(accountId: $accountId, userId: $userId, reason: $reason) { id user { id name } }
      }
    `;
    const UNLINK = /* GraphQL */ `mutation ($accountId: ID!) { pocoUnlinkAccount(accountId: $accountId, reason: "restore the fixture") { id user { id } } }`;

    it("adds the account's orders to the linked user's merged `me` view right after pocoLinkAccount", async () => {
      const noa = await stack.token('xiaomi-user-without-poco');
      const support = await stack.token('support-agent-1', SUPPORT);
      const before = await gateway(ME, { token: noa });
      expect(before.errors).toBeUndefined();
      expect(before.data?.me).toEqual({ name: 'Noa Never-Shopped', pocoAccounts: [], pocoOrders: { totalCount: 0, nodes: [] } });

      try {
        const link = await gateway(LINK, {
          token: support,
          variables: { accountId: 'acc-pl-unlinked', userId: 'xiaomi-user-without-poco', reason: 'ticket T-3: customer proved ownership' },
        });
        expect(link.errors).toBeUndefined();
        // The gateway resolves the linked user's name from the accounts subgraph.
        expect(link.data?.pocoLinkAccount).toEqual({ id: 'acc-pl-unlinked', user: { id: 'xiaomi-user-without-poco', name: 'Noa Never-Shopped' } });

        const after = await gateway(ME, { token: noa });
        expect(after.errors).toBeUndefined();
        expect(after.data?.me).toEqual({
          name: 'Noa Never-Shopped',
          pocoAccounts: [{ id: 'acc-pl-unlinked', store: 'PL' }],
          pocoOrders: { totalCount: 1, nodes: [{ orderNumber: 'PL-4001', total: { amount: '1199.00', currencyCode: 'PLN' } }] },
        });

        const log = await gateway(`{ pocoAuditLog(accountId: "acc-pl-unlinked") { action actor reason } }`, { token: support });
        expect(log.data?.pocoAuditLog).toEqual([{ action: 'ACCOUNT_LINKED', actor: 'support-agent-1', reason: 'ticket T-3: customer proved ownership' }]);
      } finally {
        const restored = await gateway(UNLINK, { token: support, variables: { accountId: 'acc-pl-unlinked' } });
        expect(restored.data?.pocoUnlinkAccount).toEqual({ id: 'acc-pl-unlinked', user: null });
      }
      const unlinked = await gateway(ME, { token: noa });
      expect(unlinked.data?.me?.pocoOrders).toEqual({ totalCount: 0, nodes: [] });
    });
  });
}

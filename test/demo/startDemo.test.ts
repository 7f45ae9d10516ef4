/**
 * The demo supergraph on a seeded test database: the example query it prints
 * works with the demo user's token, and its support tickets resolve orders.
 */
import { randomBytes } from 'node:crypto';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig } from '../../src/config';
import { seedDemoData } from '../../src/seed/demo';
import { EXAMPLE_QUERY, EXAMPLE_TICKETS_QUERY, startDemo, type RunningDemo } from '../../src/demo/startDemo';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { postGraphQL } from '../support/e2eStack';

let testDb: TestDatabase;
let demo: RunningDemo;
const secret = randomBytes(32).toString('hex');

beforeAll(async () => {
  testDb = await openTestDatabase('demo');
  // The three demo users and a few generated ones.
  await seedDemoData(testDb.db, { users: 6 });
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: testDb.uri,
    MONGODB_DB: testDb.name,
    PORT: '0',
    JWT_SECRET: secret,
    LOG_LEVEL: 'silent',
  });
  demo = await startDemo({ config, db: testDb.db, gatewayPort: 0 });
}, 120_000);

afterAll(async () => {
  await demo?.close();
  await testDb?.drop();
});

const token = (sub: string, scopes: string[] = []) => signDevToken({ sub, scopes, secret });

describe('startDemo', () => {
  it("answers the printed example query for demo-user-1 with the accounts subgraph's name and their POCO history", async () => {
    const response = await postGraphQL(demo.gateway.url, EXAMPLE_QUERY, { token: await token('demo-user-1') });

    expect(response.errors).toBeUndefined();
    const me = response.data?.me;
    expect(me.name).toBe('Alex Demo');
    // The seed's demo-user-1 shopped in three stores.
    expect(me.pocoOrders.totalCount).toBeGreaterThan(3);
    expect(me.pocoOrders.nodes).toHaveLength(3);
    expect(me.pocoOrders.nodes[0].total.amount).toMatch(/^\d+\.\d{2}$/);
    expect(me.pocoPoints).not.toBeNull();
  });

  it('knows every user the database links accounts to, so support can look any of them up by id', async () => {
    // From the database itself: every Xiaomi user some account links to, with those accounts.
    // pocoAccounts lists them oldest registeredAt first, ties by id (api.md).
    const linked = new Map<string, string[]>();
    const all = await testDb.db.collection<{ _id: string; xiaomiUserId: string | null; registeredAt: Date }>('accounts').find({}).toArray();
    all.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || (a._id < b._id ? -1 : 1));
    for (const account of all) {
      if (account.xiaomiUserId === null) continue;
      linked.set(account.xiaomiUserId, [...(linked.get(account.xiaomiUserId) ?? []), account._id]);
    }
    expect([...linked.keys()].filter((id) => !id.startsWith('demo-user-')).length).toBeGreaterThan(0);
    const supportToken = await token('agent', ['poco:support']);
    for (const [id, accountIds] of linked) {
      const response = await postGraphQL(demo.gateway.url, `query ($id: ID!) { user(id: $id) { id name pocoAccounts { id } } }`, {
        token: supportToken,
        variables: { id },
      });
      expect(response.errors).toBeUndefined();
      expect({ id, user: response.data?.user }).toEqual({
        id,
        user: { id, name: expect.any(String), pocoAccounts: accountIds.map((accountId) => ({ id: accountId })) },
      });
    }
  });

  it("resolves the tickets' orders for support, and only demo-user-1's own for demo-user-1", async () => {
    // The order each ticket names, as the tickets subgraph itself serves it (a bare reference), and what the
    // database says about that order: whether it exists, its number, and which Xiaomi user it belongs to.
    const named = await postGraphQL(demo.support.url, '{ supportTickets { id order { id } } }');
    expect(named.errors).toBeUndefined();
    const tickets = named.data?.supportTickets as { id: string; order: { id: string } | null }[];
    const orders = testDb.db.collection<{ _id: string; orderNo: string; accountId: string }>('orders');
    const accounts = testDb.db.collection<{ _id: string; xiaomiUserId: string | null }>('accounts');
    const expected = await Promise.all(
      tickets.map(async (ticket) => {
        const order = ticket.order === null ? null : await orders.findOne({ _id: ticket.order.id });
        const owner = order === null ? null : (await accounts.findOne({ _id: order.accountId }))?.xiaomiUserId ?? null;
        return { id: ticket.id, orderNumber: order?.orderNo ?? null, owner };
      }),
    );
    const QUERY = '{ supportTickets { id order { orderNumber } } }';
    const view = (response: { data?: Record<string, unknown> | null }) =>
      (response.data?.supportTickets as { id: string; order: { orderNumber: string } | null }[]).map((ticket) => ({
        id: ticket.id,
        orderNumber: ticket.order?.orderNumber ?? null,
      }));

    const asSupport = await postGraphQL(demo.gateway.url, QUERY, { token: await token('agent', ['poco:support']) });
    expect(view(asSupport)).toEqual(expected.map(({ id, orderNumber }) => ({ id, orderNumber })));
    const asUser = await postGraphQL(demo.gateway.url, QUERY, { token: await token('demo-user-1') });
    expect(view(asUser)).toEqual(expected.map(({ id, orderNumber, owner }) => ({ id, orderNumber: owner === 'demo-user-1' ? orderNumber : null })));

    // The tickets cover each case: demo-user-1's own orders, other people's, and an order that does not exist.
    expect(expected.filter((ticket) => ticket.owner === 'demo-user-1').length).toBeGreaterThan(0);
    expect(expected.filter((ticket) => ticket.orderNumber !== null && ticket.owner !== 'demo-user-1').length).toBeGreaterThan(0);
    expect(expected.filter((ticket) => ticket.orderNumber === null).length).toBeGreaterThan(0);
    // The printed example query works as given.
    const example = await postGraphQL(demo.gateway.url, EXAMPLE_TICKETS_QUERY, { token: await token('agent', ['poco:support']) });
    expect(example.errors).toBeUndefined();
  });

  it('serves its own GraphQL IDE to a browser, with the merged query and a demo-user-1 token, and answers a cross-origin preflight', async () => {
    const page = await fetch(demo.gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/apollographql\.com|cdn\./i);
    const config = JSON.parse(/<script id="graphql-ide-config" type="application\/json">(.*?)<\/script>/.exec(html)?.[1] ?? 'null');
    expect(config.endpoint).toBe('/');
    expect(config.initialQuery).toBe(EXAMPLE_QUERY);
    const token = /^Bearer (\S+)$/.exec(JSON.parse(config.initialHeaders).Authorization)?.[1];
    // The token works: it is demo-user-1's.
    const asIde = await postGraphQL(demo.gateway.url, '{ me { id } }', { token: token ?? 'none' });
    expect(asIde.data).toEqual({ me: { id: 'demo-user-1' } });

    const preflight = await fetch(demo.gateway.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://studio.apollographql.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
  });

  it('answers a body that is not JSON with a 400 and keeps serving', async () => {
    const bad = await fetch(demo.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(bad.status).toBe(400);
    const after = await postGraphQL(demo.gateway.url, '{ __typename }');
    expect(after.data).toEqual({ __typename: 'Query' });
  });
});

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

  it("knows every user the database links accounts to, so support can look any of them up by id", async () => {
    const seeded = demo.users.filter((user) => !user.id.startsWith('demo-user-') && user.id !== 'xiaomi-user-without-poco' && user.id !== 'support-agent-1');
    expect(seeded.length).toBeGreaterThan(0);
    const response = await postGraphQL(
      demo.gateway.url,
      `query ($id: ID!) { user(id: $id) { id name pocoAccounts { id } } }`,
      { token: await token('agent', ['poco:support']), variables: { id: seeded[0]!.id } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.user.id).toBe(seeded[0]!.id);
    expect(response.data?.user.pocoAccounts.length).toBeGreaterThan(0);
  });

  it("resolves the tickets' orders for support, and only demo-user-1's own for demo-user-1", async () => {
    expect(demo.tickets.filter((ticket) => ticket.subject.startsWith('Where is my order'))).toHaveLength(2);
    const asSupport = await postGraphQL(demo.gateway.url, EXAMPLE_TICKETS_QUERY, { token: await token('agent', ['poco:support']) });
    const supportView = (asSupport.data?.supportTickets as { order: unknown }[]).map((ticket) => ticket.order !== null);
    // Every ticket but the last (an order that does not exist) resolves for support.
    expect(supportView).toEqual([...demo.tickets.slice(0, -1).map(() => true), false]);

    const asUser = await postGraphQL(demo.gateway.url, EXAMPLE_TICKETS_QUERY, { token: await token('demo-user-1') });
    const userView = (asUser.data?.supportTickets as { order: unknown }[]).map((ticket) => ticket.order !== null);
    expect(userView).toEqual(demo.tickets.map((ticket) => ticket.subject.startsWith('Where is my order')));
    expect(userView.filter((visible) => !visible).length).toBeGreaterThanOrEqual(2);
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

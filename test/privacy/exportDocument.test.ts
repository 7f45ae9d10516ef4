/**
 * User.pocoPersonalDataExport through the service as `npm start` runs it: who
 * may get the link, and what opening it (GET /documents/<token>) answers: the
 * JSON document, made when it is opened and re-authorised with the viewer the
 * link names.
 */
import { account, order } from '../resolvers/fixtures';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';

const EXPORT = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { pocoPersonalDataExport { url contentType expiresAt } } } }`;

let testDb: TestDatabase;
let subgraph: HttpSubgraph;

beforeAll(async () => {
  testDb = await openTestDatabase('privacy_export_link');
  await testDb.db.collection('accounts').insertMany([
    account('acc-e1', { xiaomiUserId: 'user-e', email: 'e1@mail.example' }),
    account('acc-e2', { xiaomiUserId: 'user-e', email: 'e2@mail.example', store: 'DE', registeredAt: new Date('2021-01-01T00:00:00.000Z') }),
  ] as never[]);
  await testDb.db.collection('orders').insertMany([order('oe-1', 'acc-e1'), order('oe-2', 'acc-e2', { orderNo: 'OE-2', store: 'DE' })] as never[]);
  subgraph = await startHttpSubgraph({ db: testDb.db });
});

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
});

async function linkFor(userId: string, token?: string) {
  return post(subgraph.url, { query: EXPORT, variables: { id: userId } }, token ? { authorization: `Bearer ${token}` } : {});
}

type Link = { url: string; contentType: string; expiresAt: string };
const linkOf = (result: Awaited<ReturnType<typeof linkFor>>): Link =>
  (result.json?.data as { _entities: [{ pocoPersonalDataExport: Link }] })._entities[0].pocoPersonalDataExport;

describe('User.pocoPersonalDataExport', () => {
  it('gives the user a link to a JSON document of everything stored about their accounts', async () => {
    const result = await linkFor('user-e', await subgraph.token('user-e'));
    expect(codesOf(result)).toEqual([]);
    const link = linkOf(result);
    expect(link.contentType).toBe('application/json');
    expect(link.url.startsWith(`${subgraph.origin}/documents/`)).toBe(true);
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

    const opened = await get(link.url);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/^application\/json/);
    expect(opened.headers.get('cache-control')).toBe('private, no-store');
    expect(opened.headers.get('content-disposition')).toMatch(/^attachment; filename="poco-personal-data-\d{4}-\d{2}-\d{2}\.json"$/);
    const doc = opened.json as unknown as { userId: string; accounts: { id: string; email: string }[]; orders: { id: string }[] };
    expect(doc.userId).toBe('user-e');
    expect(doc.accounts.map((a) => [a.id, a.email])).toEqual([['acc-e1', 'e1@mail.example'], ['acc-e2', 'e2@mail.example']]);
    expect(doc.orders.map((o) => o.id).sort()).toEqual(['oe-1', 'oe-2']);
  });

  it('lets a privacy officer export any user, and gives a user without accounts empty lists', async () => {
    const officer = await subgraph.token('officer', ['poco:privacy']);
    const opened = await get(linkOf(await linkFor('user-e', officer)).url);
    expect((opened.json as unknown as { accounts: unknown[] }).accounts).toHaveLength(2);
    const nobody = await get(linkOf(await linkFor('user-without-accounts', officer)).url);
    expect(nobody.status).toBe(200);
    expect(nobody.json).toMatchObject({ userId: 'user-without-accounts', accounts: [], orders: [], pointsHistory: [], coupons: [], auditLog: [] });
  });

  it.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['support alone (poco:support)', ['support', ['poco:support']], 'FORBIDDEN'],
    ['another user', ['user-other', []], 'FORBIDDEN'],
  ] as const)('refuses %s', async (_name, who, code) => {
    const token = who === undefined ? undefined : await subgraph.token(who[0], [...who[1]]);
    const result = await linkFor('user-e', token);
    expect(codesOf(result)).toEqual([code]);
    expect((result.json?.data as { _entities: [{ pocoPersonalDataExport: unknown }] })._entities[0].pocoPersonalDataExport).toBeNull();
  });

  it('is made when opened: an account unlinked after the link was issued is no longer in it', async () => {
    const link = linkOf(await linkFor('user-e', await subgraph.token('user-e')));
    const support = await subgraph.token('agent', ['poco:support']);
    const unlink = await post(
      subgraph.url,
      { query: 'mutation { pocoUnlinkAccount(accountId: "acc-e2", reason: "not theirs") { id } }' },
      { authorization: `Bearer ${support}` },
    );
    expect(codesOf(unlink)).toEqual([]);
    const doc = (await get(link.url)).json as unknown as { accounts: { id: string }[]; orders: { id: string }[] };
    expect(doc.accounts.map((a) => a.id)).toEqual(['acc-e1']);
    expect(doc.orders.map((o) => o.id)).toEqual(['oe-1']);
  });

  it('answers 404 for a tampered link', async () => {
    const link = linkOf(await linkFor('user-e', await subgraph.token('user-e')));
    const tampered = `${link.url.slice(0, -3)}${link.url.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await get(tampered)).status).toBe(404);
  });
});

/**
 * After an erasure, the erased values are nowhere: the service is run as `npm
 * start` runs it (startSubgraph over HTTP, its log captured), a customer's
 * account is erased, and every response is searched for the erased values: a
 * `me` page with every field (as the router asks for it, through
 * `_entities`), `pocoOrder` for each of the account's orders,
 * `pocoAccountsByEmail` with the old email as support, the personal data
 * export (a fresh link, and one issued before the erasure), the proof-of-purchase
 * PDF of each order (its text as pdftotext reads it), the metrics, the service's log lines of the whole test, and every
 * collection of the database. The same search finds them before the erasure,
 * so it can fail.
 */
import { BSON } from 'mongodb';
import { account, at, balance, coupon, entry, feedback, order } from '../resolvers/fixtures';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';
import { pdfText } from '../support/pdf';
import { collectionsOf } from '../../src/db/collections';
import { newAuditEntry } from '../../src/privacy/audit';
import { decideErasure } from '../../src/privacy/data';

const ERASED = {
  email: 'quillon.vaskemark@mail.example',
  displayName: 'Quillon Vaskemark',
  addressName: 'Q. Vaskemark-Ruddle',
  line1: '41 Brindlethorpe Lane',
  line2: 'Flat Zephyrine',
  city: 'Oxwickham',
  postcode: 'OX9 7QZ',
  title: 'Gorgeous phablet, Quillon approves',
  body: 'My neighbour Ysolde borrowed it twice',
};
const ERASED_VALUES = Object.values(ERASED);

const ME_PAGE = `query Me($representations: [_Any!]!) { _entities(representations: $representations) { ... on User {
  id
  pocoAccounts { id store email displayName registeredAt migratedAt user { id }
    orders(first: 10) { totalCount nodes { id orderNumber } } }
  pocoOrders(first: 10) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes {
      id orderNumber store placedAt status currencyCode account { id email displayName } user { id }
      subtotal { amount currencyCode } shippingFee { amount } discountTotal { amount } taxTotal { amount }
      total { amount currencyCode } refundedTotal { amount } pointsEarned pointsRedeemed
      lineItems { sku product { sku } productName variant quantity unitPrice { amount } lineTotal { amount } }
      shipments { id carrier trackingNumber status shippedAt deliveredAt events { occurredAt status location description } }
      couponsApplied { id code title status }
      feedback { id kind rating title body sku createdAt reply { body repliedAt } }
      shippingAddress { name line1 line2 city postalCode countryCode }
    }
  }
  pocoPoints { balance lifetimeEarned lifetimeRedeemed lifetimeExpired
    transfers { store pocoPoints xiaomiPoints rate transferredAt xiaomiLoyaltyAccountId }
    history(first: 20) { totalCount edges { cursor node { id } } nodes { id store occurredAt type points balanceAfter description order { id orderNumber } } } }
  pocoCoupons { id code title store discountKind amountOff { amount } percentOff minimumSpend { amount } issuedAt validFrom validUntil status
    redeemedAt redeemedOrder { id orderNumber } reissue { xiaomiCouponId xiaomiCouponCode reissuedAt validUntil } }
} } }`;

const ORDER = `query ($id: ID!) { pocoOrder(id: $id) {
  id orderNumber account { id email displayName } shippingAddress { name line1 line2 city postalCode countryCode }
  feedback { id title body reply { body } } shipments { trackingNumber events { location description } } } }`;

const USER = 'user-quillon';
const ORDER_IDS = ['q-o1', 'q-o2', 'q-o3'];

let testDb: TestDatabase;
let subgraph: HttpSubgraph;
let userToken: string;
let supportToken: string;
let privacyToken: string;
/** Export links issued before the erasure: opened after it, they must show nothing erased. */
let earlyExportLinks: string[] = [];
/** The same for proof-of-purchase PDFs. */
let earlyPdfLinks: string[] = [];

async function pdfLinks(token: string): Promise<string[]> {
  const urls: string[] = [];
  for (const id of ORDER_IDS) {
    const result = await post(subgraph.url, { query: `query ($id: ID!) { pocoOrder(id: $id) { proofOfPurchase { url } } }`, variables: { id } }, { authorization: `Bearer ${token}` });
    expect(codesOf(result)).toEqual([]);
    urls.push((result.json?.data as { pocoOrder: { proofOfPurchase: { url: string } } }).pocoOrder.proofOfPurchase.url);
  }
  return urls;
}

const EXPORT_LINK = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { pocoPersonalDataExport { url } } } }`;

async function exportLink(token: string): Promise<string> {
  const result = await post(subgraph.url, { query: EXPORT_LINK, variables: { id: USER } }, { authorization: `Bearer ${token}` });
  expect(codesOf(result)).toEqual([]);
  return (result.json?.data as { _entities: [{ pocoPersonalDataExport: { url: string } }] })._entities[0].pocoPersonalDataExport.url;
}

beforeAll(async () => {
  testDb = await openTestDatabase('privacy_leaks');
  const db = testDb.db;
  const address = { name: ERASED.addressName, line1: ERASED.line1, line2: ERASED.line2, city: ERASED.city, postcode: ERASED.postcode, country: 'GB' };
  await db.collection('accounts').insertMany([
    account('acc-q', { store: 'UK', xiaomiUserId: USER, email: ERASED.email, displayName: ERASED.displayName }),
    account('acc-q-fr', { store: 'FR', xiaomiUserId: USER, email: 'q.fr@other.example', displayName: 'Kept Name', registeredAt: at('2021-01-01T00:00:00.000Z') }),
  ] as never[]);
  await db.collection('orders').insertMany(
    ORDER_IDS.map((id, i) =>
      order(id, 'acc-q', {
        orderNo: `Q-${i}`, store: 'UK', currency: 'GBP', placedAt: at(`2023-0${i + 1}-01T00:00:00.000Z`), shippingAddress: address, couponCodes: i === 0 ? ['QSAVE'] : [],
        shipments: [{ id: `sh-${id}`, carrier: 'DPD', trackingNo: `TRK-${id}`, status: 'DELIVERED', shippedAt: at('2023-01-02T00:00:00.000Z'), deliveredAt: at('2023-01-04T00:00:00.000Z'), events: [] }],
      }),
    ).concat([order('q-fr-o1', 'acc-q-fr', { orderNo: 'QFR-1', store: 'FR', shippingAddress: { ...address, name: 'Kept Recipient', line1: '1 Rue Gardée', line2: null, city: 'Nantes', postcode: '44000', country: 'FR' } })]) as never[],
  );
  await db.collection('feedback').insertMany([
    feedback('q-f1', 'q-o1', 'acc-q', { title: ERASED.title, body: ERASED.body, reply: { body: 'Thank you from POCO', at: at('2023-02-02T00:00:00.000Z') } }),
    feedback('q-f2', 'q-o2', 'acc-q', { kind: 'SERVICE_TICKET', rating: null, title: null, body: `${ERASED.body} (again)` }),
    feedback('q-fr-f1', 'q-fr-o1', 'acc-q-fr', { title: 'Kept review', body: 'Kept text' }),
  ] as never[]);
  await db.collection('points_ledger').insertMany([entry('q-le1', 'acc-q', { store: 'UK', orderId: 'q-o1' })] as never[]);
  await db.collection('points_balances').insertMany([balance('acc-q', { balance: 100, earned: 100 })] as never[]);
  await db.collection('coupons').insertMany([
    coupon('q-cp1', 'acc-q', { code: 'QSAVE', store: 'UK', currency: 'GBP', exportStatus: 'USED', usedAt: at('2023-01-01T00:00:00.000Z'), usedOrderId: 'q-o1' }),
  ] as never[]);

  subgraph = await startHttpSubgraph({ db, env: { LOG_LEVEL: 'debug' } });
  userToken = await subgraph.token(USER);
  supportToken = await subgraph.token('agent-q', ['poco:support']);
  privacyToken = await subgraph.token('officer-q', ['poco:privacy']);
});

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
});

const asUser = (query: string, variables: Record<string, unknown> = {}, token = userToken) =>
  post(subgraph.url, { query, variables }, { authorization: `Bearer ${token}` });

/** Every response of the search, as text. */
async function everyResponse(): Promise<string[]> {
  const texts: string[] = [];
  const me = await asUser(ME_PAGE, { representations: [{ __typename: 'User', id: USER }] });
  expect(codesOf(me)).toEqual([]);
  texts.push(me.text);
  for (const token of [userToken, supportToken, privacyToken]) {
    for (const id of ORDER_IDS) {
      const result = await asUser(ORDER, { id }, token);
      expect(codesOf(result)).toEqual([]);
      expect((result.json?.data as { pocoOrder: { id: string } }).pocoOrder.id).toBe(id);
      texts.push(result.text);
    }
  }
  for (const email of [ERASED.email, `  ${ERASED.email.toUpperCase()} `, 'erased-acc-q@invalid']) {
    for (const token of [supportToken, privacyToken]) {
      const result = await asUser(`query ($email: String!) { pocoAccountsByEmail(email: $email) { id email displayName } }`, { email }, token);
      expect(codesOf(result)).toEqual([]);
      texts.push(result.text);
    }
  }
  for (const url of [...earlyExportLinks, await exportLink(userToken), await exportLink(privacyToken)]) {
    const opened = await get(url);
    expect(opened.status).toBe(200);
    expect((opened.json as unknown as { orders: unknown[] }).orders).toHaveLength(4);
    texts.push(opened.text);
  }
  for (const url of [...earlyPdfLinks, ...(await pdfLinks(userToken)), ...(await pdfLinks(supportToken))]) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toMatch(/Q-\d/);
    texts.push(text);
  }
  const audit = await asUser(`{ pocoAuditLog(accountId: "acc-q") { id actor action reason requestId } }`, {}, supportToken);
  texts.push(audit.text);
  texts.push((await get(`${subgraph.origin}/metrics`)).text);
  return texts;
}

async function everyCollection(): Promise<string> {
  const parts: string[] = [];
  for (const { name } of await testDb.db.listCollections().toArray()) {
    parts.push(BSON.EJSON.stringify(await testDb.db.collection(name).find({}).toArray()));
  }
  return parts.join('\n');
}

function leaked(texts: readonly string[]): string[] {
  return ERASED_VALUES.filter((value) => texts.some((text) => text.toLowerCase().includes(value.toLowerCase())));
}

describe('an erased account leaves no trace', () => {
  it('shows the values before the erasure (so the search can find them)', async () => {
    const texts = await everyResponse();
    expect(leaked(texts)).toEqual(ERASED_VALUES);
    // The PDFs print the address before the erasure (so their search below can fail too).
    const pdfs = texts.filter((text) => /Q-\d/.test(text) && !text.trimStart().startsWith('{'));
    expect(pdfs).toHaveLength(ORDER_IDS.length * 2);
    for (const pdf of pdfs) expect(pdf).toContain(ERASED.line1);
    expect(leaked([await everyCollection()])).toEqual(ERASED_VALUES);
  });

  it('erases, then no response, log line, metric or collection holds an erased value', async () => {
    earlyExportLinks = [await exportLink(userToken), await exportLink(privacyToken)];
    earlyPdfLinks = await pdfLinks(userToken);
    const erase = await asUser(
      `mutation { pocoErasePersonalData(accountId: "acc-q", reason: "Erasure request DSR-881 by phone") { accountId erasedAt } }`,
      {},
      privacyToken,
    );
    expect(codesOf(erase)).toEqual([]);

    const texts = await everyResponse();
    expect(leaked(texts)).toEqual([]);
    expect(leaked([await everyCollection()])).toEqual([]);
    expect(leaked([subgraph.logText()])).toEqual([]);

    // What must stay, stays: the financial records, the link, the shop's reply, the other account.
    const me = JSON.parse(texts[0]!) as { data: { _entities: [{ pocoOrders: { totalCount: number; nodes: { id: string; total: { amount: string }; feedback: { reply: { body: string } | null }[] }[] }; pocoAccounts: { id: string; email: string; displayName: string | null }[] }] } };
    const user = me.data._entities[0];
    expect(user.pocoOrders.totalCount).toBe(4);
    expect(user.pocoAccounts).toEqual([
      expect.objectContaining({ id: 'acc-q', email: 'erased-acc-q@invalid', displayName: null }),
      expect.objectContaining({ id: 'acc-q-fr', email: 'q.fr@other.example', displayName: 'Kept Name' }),
    ]);
    expect(texts[0]).toContain('Thank you from POCO');
    expect(texts[0]).toContain('Kept Recipient');
    expect(texts[0]).toContain('Kept review');
    const byEmail = texts.filter((text) => text.includes('pocoAccountsByEmail'));
    for (const text of byEmail) expect(JSON.parse(text).data.pocoAccountsByEmail).toEqual([]);
  });

  it('prints no address on a proof of purchase opened after the decision and before the scrub', async () => {
    const address = { name: 'Pending Person', line1: '9 Unscrubbed Row', line2: null, city: 'Lowmoor', postcode: 'LM1 1AA', country: 'GB' };
    await testDb.db.collection('accounts').insertOne(account('acc-pending', { store: 'UK', xiaomiUserId: 'user-pending' }) as never);
    await testDb.db.collection('orders').insertOne(order('p-o1', 'acc-pending', { orderNo: 'P-1', store: 'UK', currency: 'GBP', shippingAddress: address }) as never);
    const token = await subgraph.token('user-pending');
    const linkOf = async () => {
      const result = await post(subgraph.url, { query: `{ pocoOrder(id: "p-o1") { proofOfPurchase { url } } }` }, { authorization: `Bearer ${token}` });
      return (result.json?.data as { pocoOrder: { proofOfPurchase: { url: string } } }).pocoOrder.proofOfPurchase.url;
    };
    const textOf = async (url: string) => pdfText(Buffer.from(await (await fetch(url)).arrayBuffer()));
    const early = await linkOf();
    expect(await textOf(early)).toContain('9 Unscrubbed Row');

    // Only the deciding write, as a process killed right after it leaves the database.
    const entry = newAuditEntry({ userId: 'officer', requestId: 'r-pending' }, 'PERSONAL_DATA_ERASED', 'DSR pending', new Date());
    expect(await decideErasure(collectionsOf(testDb.db), 'acc-pending', entry)).not.toBeNull();
    expect((await testDb.db.collection('orders').findOne({ _id: 'p-o1' as never }))?.shippingAddress).not.toBeNull();

    for (const url of [early, await linkOf()]) {
      const text = await textOf(url);
      expect(text).toContain('P-1');
      expect(text).not.toMatch(/Pending Person|Unscrubbed|Lowmoor|LM1 1AA/);
    }
  });
});

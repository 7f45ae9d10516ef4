/**
 * PocoOrder.proofOfPurchase end to end: the link from the GraphQL API, the PDF
 * from GET /documents/<token> without any Authorization header, read back with
 * poppler (pdftotext, pdfinfo, pdftoppm) for an order of every store.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountDoc, AddressDoc, OrderDoc, OrderItemDoc } from '../../src/db/documents';
import { closeRenderPool } from '../../src/afterSales/proofOfPurchase/renderPool';
import { DOCUMENT_LINK_TTL_MS } from '../../src/documents/links';
import type { CurrencyCode, PocoStore } from '../../src/shared/codes';
import { account, at, order } from '../resolvers/fixtures';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { firstPageInk, pdfPageCount, pdfText } from '../support/pdf';
import { post, startHttpSubgraph, type HttpSubgraph } from '../limits/http';

const START = new Date('2025-06-01T10:00:00.000Z');
const OWNER = 'user-pop';

interface StoreCase {
  store: PocoStore;
  currency: CurrencyCode;
  items: OrderItemDoc[];
  total: number;
  address: AddressDoc;
  /** Hand-written expectations, in the store's language. */
  expected: { total: string; lineTotals: string[]; warrantyEnd: string; orderDate: string; status: string; title: string; addressText: string[] };
}

const DELIVERED = '2024-02-29T12:00:00.000Z';
// 23:30 UTC: already the next day in Paris, Berlin, Madrid, Rome and Warsaw, not in London or UTC.
const PLACED = '2024-02-20T23:30:00.000Z';

const CASES: StoreCase[] = [
  {
    store: 'GLOBAL', currency: 'USD', total: 59900,
    items: [{ sku: 'F6P', name: 'POCO F6 Pro', variant: 'Black / 512 GB', qty: 1, unitPrice: 59900 }],
    address: { name: 'Jordan Lee', line1: '500 Market Street', line2: 'Suite 12', city: 'San Francisco', postcode: '94105', country: 'US' },
    expected: { title: 'Proof of purchase', total: '599.00 USD', lineTotals: ['599.00 USD'], warrantyEnd: '28 February 2026', orderDate: '20 February 2024', status: 'Shipped', addressText: ['Jordan Lee', 'San Francisco 94105', 'United States'] },
  },
  {
    store: 'UK', currency: 'GBP', total: 27900,
    items: [{ sku: 'X6', name: 'POCO X6', variant: null, qty: 1, unitPrice: 27900 }],
    address: { name: "Siobhán O'Neill", line1: '1 High Street', line2: null, city: 'London', postcode: 'N1 1AA', country: 'GB' },
    expected: { title: 'Proof of purchase', total: '279.00 GBP', lineTotals: ['279.00 GBP'], warrantyEnd: '28 February 2026', orderDate: '20 February 2024', status: 'Shipped', addressText: ["Siobhán O'Neill", 'London N1 1AA', 'United Kingdom'] },
  },
  {
    store: 'FR', currency: 'EUR', total: 239398,
    items: [
      { sku: 'F5', name: 'POCO F5', variant: 'Bleu glacier', qty: 1, unitPrice: 229499 },
      { sku: 'POD', name: 'Écouteurs POCO Pods', variant: null, qty: 2, unitPrice: 4949 },
    ],
    address: { name: 'Élodie Crépin', line1: '12 rue de la Paix', line2: null, city: 'Paris', postcode: '75002', country: 'FR' },
    expected: { title: "Preuve d'achat", total: '2393,98 EUR', lineTotals: ['2294,99 EUR', '98,98 EUR'], warrantyEnd: '28 février 2026', orderDate: '21 février 2024', status: 'Expédiée', addressText: ['Élodie Crépin', '75002 Paris', 'France'] },
  },
  {
    store: 'DE', currency: 'EUR', total: 4999,
    items: [{ sku: 'CHG', name: 'Ladegerät 67 W', variant: 'Weiß', qty: 1, unitPrice: 4999 }],
    address: { name: 'Jürgen Groß', line1: 'Königstraße 5', line2: null, city: 'München', postcode: '80331', country: 'DE' },
    expected: { title: 'Kaufbeleg', total: '49,99 EUR', lineTotals: ['49,99 EUR'], warrantyEnd: '28. Februar 2026', orderDate: '21. Februar 2024', status: 'Versandt', addressText: ['Jürgen Groß', 'Königstraße 5', '80331 München', 'Deutschland'] },
  },
  {
    store: 'ES', currency: 'EUR', total: 3000,
    items: [{ sku: 'BND', name: 'Pulsera Señal', variant: null, qty: 3, unitPrice: 1000 }],
    address: { name: 'Íñigo Muñoz', line1: 'Calle Mayor 1', line2: null, city: 'A Coruña', postcode: '15001', country: 'ES' },
    expected: { title: 'Justificante de compra', total: '30,00 EUR', lineTotals: ['30,00 EUR'], warrantyEnd: '28 de febrero de 2026', orderDate: '21 de febrero de 2024', status: 'Enviado', addressText: ['Íñigo Muñoz', '15001 A Coruña', 'España'] },
  },
  {
    store: 'IT', currency: 'EUR', total: 1999,
    items: [{ sku: 'CBL', name: 'Cavo perché sì', variant: null, qty: 1, unitPrice: 1999 }],
    address: { name: 'Niccolò Santità', line1: 'Via Roma 1', line2: null, city: 'Forlì', postcode: '47121', country: 'IT' },
    expected: { title: "Prova d'acquisto", total: '19,99 EUR', lineTotals: ['19,99 EUR'], warrantyEnd: '28 febbraio 2026', orderDate: '21 febbraio 2024', status: 'Spedito', addressText: ['Niccolò Santità', '47121 Forlì', 'Italia'] },
  },
  {
    store: 'PL', currency: 'PLN', total: 129900,
    items: [{ sku: 'M6', name: 'POCO M6 Pro — żółty', variant: 'Źródło 256 GB', qty: 1, unitPrice: 129900 }],
    address: { name: 'Łucja Żółć', line1: 'ul. Piotrkowska 12', line2: 'm. 4', city: 'Łódź', postcode: '90-001', country: 'PL' },
    expected: { title: 'Dowód zakupu', total: '1299,00 PLN', lineTotals: ['1299,00 PLN'], warrantyEnd: '28 lutego 2026', orderDate: '21 lutego 2024', status: 'Wysłane', addressText: ['Łucja Żółć', 'ul. Piotrkowska 12', 'm. 4', '90-001 Łódź', 'Polska'] },
  },
];

function storeOrder(c: StoreCase): OrderDoc {
  return order(`ORD-${c.store}`, `ACC-${c.store}`, {
    orderNo: `${c.store}-2024-00042`,
    store: c.store,
    currency: c.currency,
    placedAt: at(PLACED),
    // Left at SHIPPED although the parcel was delivered: the PDF still shows the delivery and warranty.
    status: 'SHIPPED',
    items: c.items,
    subtotal: c.total,
    total: c.total,
    tax: Math.round(c.total / 6),
    shippingAddress: c.address,
    shipments: [{ id: `S-${c.store}`, carrier: 'DPD', trackingNo: `T-${c.store}`, status: 'DELIVERED', shippedAt: at('2024-02-27T08:00:00.000Z'), deliveredAt: at(DELIVERED), events: [] }],
  });
}

const LINK_QUERY = `query ($id: ID!) { pocoOrder(id: $id) { orderNumber proofOfPurchase { url contentType expiresAt } } }`;

describe('proof of purchase', () => {
  let testDb: TestDatabase;
  let subgraph: HttpSubgraph;
  let now = START;
  let ownerToken: string;
  const pngDir = join(__dirname, '..', '..', '.cache', 'proof-of-purchase');

  beforeAll(async () => {
    testDb = await openTestDatabase('proof-of-purchase');
    await testDb.db.collection<AccountDoc>('accounts').insertMany([
      ...CASES.map((c) => account(`ACC-${c.store}`, { store: c.store, xiaomiUserId: OWNER })),
      account('ACC-OTHER', { xiaomiUserId: 'user-other' }),
    ]);
    const long = order('ORD-LONG', 'ACC-FR', {
      orderNo: 'FR-2024-LONG',
      store: 'FR',
      items: Array.from({ length: 150 }, (_, index) => ({
        sku: `SKU-${index}`, name: `Article numéro ${index + 1} avec un nom assez long pour être coupé proprement`, variant: index % 3 === 0 ? 'Édition limitée' : null, qty: 1, unitPrice: 1000 + index,
      })),
      shipments: [],
      status: 'PAID',
    });
    await testDb.db.collection<OrderDoc>('orders').insertMany([
      ...CASES.map(storeOrder),
      long,
      order('ORD-CANCELLED', 'ACC-UK', { orderNo: 'UK-CANCELLED', store: 'UK', currency: 'GBP', status: 'CANCELLED', shippingAddress: null }),
      order('ORD-OTHER', 'ACC-OTHER', { orderNo: 'GL-OTHER' }),
    ]);
    subgraph = await startHttpSubgraph({ db: testDb.db, clock: () => now });
    ownerToken = await subgraph.token(OWNER);
    mkdirSync(pngDir, { recursive: true });
  });
  afterAll(async () => {
    await subgraph?.close();
    await testDb?.drop();
    await closeRenderPool();
  });
  beforeEach(() => {
    now = START;
  });

  async function linkOf(orderId: string, token = ownerToken): Promise<{ url: string; contentType: string; expiresAt: string } | null> {
    const response = await post(subgraph.url, { query: LINK_QUERY, variables: { id: orderId } }, { authorization: `Bearer ${token}` });
    expect(response.json?.errors).toBeUndefined();
    const data = response.json?.data as { pocoOrder: { proofOfPurchase: { url: string; contentType: string; expiresAt: string } } | null };
    return data.pocoOrder?.proofOfPurchase ?? null;
  }

  async function download(url: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const response = await fetch(url); // no Authorization header: the link is the credential
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  it.each(CASES.map((c) => [c.store, c] as const))('%s: a one-page PDF in the store language with every field, real text and ink', async (store, c) => {
    const link = await linkOf(`ORD-${store}`);
    expect(link).toEqual({
      url: expect.stringMatching(new RegExp(`^${subgraph.origin}/documents/[A-Za-z0-9_-]+$`)),
      contentType: 'application/pdf',
      expiresAt: new Date(START.getTime() + DOCUMENT_LINK_TTL_MS).toISOString(),
    });
    const pdf = await download(link!.url);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('cache-control')).toBe('private, no-store');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="poco-order-${store}-2024-00042.pdf"`);
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(pdf.body)).toBe(1);

    const text = pdfText(pdf.body);
    const { expected } = c;
    for (const wanted of [
      expected.title,
      `${store}-2024-00042`,
      expected.total,
      ...expected.lineTotals,
      expected.warrantyEnd,
      expected.orderDate,
      expected.status,
      ...expected.addressText,
      ...c.items.map((item) => item.name),
      ...c.items.flatMap((item) => (item.variant === null ? [] : [item.variant])),
    ]) {
      expect(text).toContain(wanted);
    }
    // The delivery date is printed too, and it is the warranty's start.
    expect(text).toContain(expected.warrantyEnd.replace('2026', '2024').replace('28', '29'));

    const ink = firstPageInk(pdf.body, join(pngDir, `${store}.png`));
    expect(ink.width).toBeGreaterThan(400); // A4 at 50 dpi: 413 × 585
    expect(ink.height).toBeGreaterThan(ink.width);
    // Text on a white page: clearly some ink, far from all of it.
    expect(ink.dark).toBeGreaterThan(2000);
    expect(ink.dark).toBeLessThan((ink.width * ink.height) / 4);
  });

  it('keeps Polish and French letters intact (no boxes, no question marks)', async () => {
    const polish = pdfText((await download((await linkOf('ORD-PL'))!.url)).body);
    for (const word of ['Łódź', 'Łucja Żółć', 'Źródło', 'żółty', 'Dowód zakupu', 'Numer zamówienia']) expect(polish).toContain(word);
    const french = pdfText((await download((await linkOf('ORD-FR'))!.url)).body);
    for (const word of ['Écouteurs POCO Pods', 'Élodie Crépin', 'Numéro de commande', 'février']) expect(french).toContain(word);
    expect(polish + french).not.toMatch(/[?\uFFFD]/);
  });

  it('is there for an order of any status: a cancelled one has no delivery, no warranty, and no address when it has none', async () => {
    const text = pdfText((await download((await linkOf('ORD-CANCELLED'))!.url)).body);
    expect(text).toContain('UK-CANCELLED');
    expect(text).toContain('Cancelled');
    expect(text).toContain('not delivered');
    expect(text).toContain('none'); // warranty column
    expect(text).not.toContain('Shipping address');
    expect(text).toContain('279.00 GBP');
  });

  it('keeps a very long order to two pages, summing up the lines that do not fit', async () => {
    const pdf = (await download((await linkOf('ORD-LONG'))!.url)).body;
    expect(pdfPageCount(pdf)).toBe(2);
    const text = pdfText(pdf);
    expect(text).toContain('FR-2024-LONG');
    expect(text).toContain('Article numéro 1 ');
    expect(text).toMatch(/… et \d+ autre\(s\) ligne\(s\)/);
    expect(text).toContain('Page 2 sur 2');
    expect(text).toContain('Total');
  });

  describe('links', () => {
    it('open with no Authorization header; a bearer token of someone else changes nothing', async () => {
      const link = (await linkOf('ORD-UK'))!;
      expect((await download(link.url)).status).toBe(200);
      const intruder = await subgraph.token('user-other');
      const response = await fetch(link.url, { headers: { authorization: `Bearer ${intruder}` } });
      expect(response.status).toBe(200);
    });

    it("cannot be obtained for someone else's order: the order itself is null, with no hint", async () => {
      const intruder = await subgraph.token('user-other');
      expect(await linkOf('ORD-UK', intruder)).toBeNull();
      const viaEntity = await post(
        subgraph.url,
        { query: `{ _entities(representations: [{ __typename: "PocoOrder", id: "ORD-UK" }]) { ... on PocoOrder { proofOfPurchase { url } } } }` },
        { authorization: `Bearer ${intruder}` },
      );
      expect(viaEntity.json?.data).toEqual({ _entities: [null] });
      // Support may (poco:support reads every order).
      expect(await linkOf('ORD-OTHER', await subgraph.token('agent-1', ['poco:support']))).toMatchObject({ contentType: 'application/pdf' });
    });

    it('anonymous callers get UNAUTHENTICATED, not a link', async () => {
      const response = await post(subgraph.url, { query: LINK_QUERY, variables: { id: 'ORD-UK' } });
      expect(response.json?.data).toEqual({ pocoOrder: null });
      expect(response.json?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('a tampered link answers 404, an expired one 410 (by the service clock), both private and no-store', async () => {
      const link = (await linkOf('ORD-IT'))!;
      const token = link.url.slice(link.url.lastIndexOf('/') + 1);
      const tampered = `${link.url.slice(0, link.url.lastIndexOf('/') + 1)}${token.slice(0, 20)}${token[20] === 'x' ? 'y' : 'x'}${token.slice(21)}`;
      const notFound = await download(tampered);
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get('cache-control')).toBe('private, no-store');
      expect(notFound.body.toString('utf8')).not.toContain('ORD-IT');

      now = new Date(START.getTime() + DOCUMENT_LINK_TTL_MS - 1);
      expect((await download(link.url)).status).toBe(200);
      now = new Date(START.getTime() + DOCUMENT_LINK_TTL_MS);
      const gone = await download(link.url);
      expect(gone.status).toBe(410);
      expect(gone.headers.get('cache-control')).toBe('private, no-store');
      expect(gone.body.toString('utf8')).not.toContain('IT-2024-00042');
    });

    it('stops working once its viewer may no longer read the order (the account was unlinked)', async () => {
      const link = (await linkOf('ORD-ES'))!;
      const accounts = testDb.db.collection<AccountDoc>('accounts');
      await accounts.updateOne({ _id: 'ACC-ES' }, { $set: { xiaomiUserId: null } });
      try {
        expect((await download(link.url)).status).toBe(404);
      } finally {
        await accounts.updateOne({ _id: 'ACC-ES' }, { $set: { xiaomiUserId: OWNER } });
      }
      expect((await download(link.url)).status).toBe(200);
    });

    it('are counted by kind and outcome; the log names neither the token nor the order', async () => {
      const link = (await linkOf('ORD-GLOBAL'))!;
      await download(link.url);
      const metrics = await (await fetch(`${subgraph.origin}/metrics`)).text();
      expect(metrics).toMatch(/poco_document_downloads_total\{kind="proofOfPurchase",outcome="served"\} [1-9]/);
      expect(metrics).toMatch(/poco_document_render_duration_seconds_count\{kind="proofOfPurchase"\} [1-9]/);
      const log = subgraph.logText();
      expect(log).toContain('"kind":"proofOfPurchase"');
      expect(log).not.toContain(link.url.slice(link.url.lastIndexOf('/') + 1));
      expect(log).not.toContain('ORD-GLOBAL');
      expect(log).not.toContain('GLOBAL-2024-00042');
    });
  });

  it('is made from the order as it is when the link is opened: an address erased since then is gone', async () => {
    const link = (await linkOf('ORD-DE'))!;
    const orders = testDb.db.collection<OrderDoc>('orders');
    await orders.updateOne({ _id: 'ORD-DE' }, { $set: { shippingAddress: null } });
    try {
      const text = pdfText((await download(link.url)).body);
      expect(text).toContain('DE-2024-00042');
      expect(text).not.toContain('Jürgen Groß');
      expect(text).not.toContain('Königstraße');
      expect(text).not.toContain('Lieferadresse');
    } finally {
      await orders.updateOne({ _id: 'ORD-DE' }, { $set: { shippingAddress: CASES.find((c) => c.store === 'DE')!.address } });
    }
  });
});

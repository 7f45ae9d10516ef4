/**
 * Issue 3's acceptance: a seeded export, imported with the importer, answers
 * through the API exactly what the export files say. The expectations come
 * from the NDJSON files themselves, read by an independent and simple
 * application of the format's rules (test/support/e2eExportOracle.ts), never
 * from the importer's or the resolvers' code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport, type SeedManifest } from '../../src/seed/generateExport';
import { runImport, type ImportReport } from '../../src/importer/runImport';
import { collectionsOf } from '../../src/db/collections';
import { openTestDatabase, type TestDatabase } from '../support/database';
import {
  couponStatus,
  couponsOfUser,
  feedbackOfOrder,
  formatMoney,
  linkedAccountsByUser,
  ordersOfUser,
  pointsOfUser,
  readExport,
  type ExportOracle,
  type OracleOrder,
} from '../support/e2eExportOracle';
import { errorCodesAt, postGraphQL, startTestSubgraph, type GraphQLResponse, type TestSubgraph } from '../support/e2eStack';

const USERS = 150;
const SEED = 20241212;
const PAGE = 7;
const SUPPORT = ['poco:support'];
/** For tests that send several requests: generous, the local FerretDB scans collections (no index pushdown for $in). */
const SLOW = 300_000;

let dir: string;
let testDb: TestDatabase;
let subgraph: TestSubgraph;
let oracle: ExportOracle;
let supportToken: string;
let importedRejects: Set<string>;
let report: ImportReport;
let manifest: SeedManifest;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poco-e2e-seed-'));
  const exportDir = join(dir, 'export');
  const rejectsFile = join(dir, 'rejects.ndjson');
  manifest = await generateExport({ users: USERS, seed: SEED, outDir: exportDir });
  testDb = await openTestDatabase('e2e_seeded');
  report = await runImport({ dir: exportDir, db: testDb.db, rejectsPath: rejectsFile });
  oracle = readExport(exportDir);
  importedRejects = new Set(
    readFileSync(rejectsFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { file: string; line: number })
      .map((reject) => `${reject.file}:${reject.line}`),
  );
  subgraph = await startTestSubgraph(testDb);
  supportToken = await subgraph.token('support-agent', SUPPORT);
}, 600_000);

afterAll(async () => {
  await subgraph?.close();
  await testDb?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Asks our subgraph; as support unless another token, or `null` for none, is given. */
const api = (query: string, variables: Record<string, unknown> = {}, token: string | null = supportToken) =>
  postGraphQL(subgraph.url, query, { variables, ...(token !== null ? { token } : {}) });

function noErrors(response: GraphQLResponse<unknown>): void {
  expect(response.errors ?? []).toEqual([]);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const ORDER_FIELDS = /* GraphQL */ `
  id orderNumber store placedAt status currencyCode
  subtotal { amount currencyCode } shippingFee { amount currencyCode } discountTotal { amount currencyCode }
  taxTotal { amount currencyCode } total { amount currencyCode } refundedTotal { amount currencyCode }
  pointsEarned pointsRedeemed
  account { id }
  lineItems { sku productName quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
`;

/** What the API must answer for an order, from the export line alone. */
function expectedOrder(order: OracleOrder) {
  const money = (minor: number) => ({ amount: formatMoney(minor), currencyCode: order.currency });
  return {
    id: order.id,
    orderNumber: order.orderNumber,
    store: order.store,
    placedAt: order.placedAt.toISOString(),
    status: order.status,
    currencyCode: order.currency,
    subtotal: money(order.subtotal),
    shippingFee: money(order.shippingFee),
    discountTotal: money(order.discount),
    taxTotal: money(order.tax),
    total: money(order.total),
    refundedTotal: money(order.refunded),
    pointsEarned: order.pointsEarned,
    pointsRedeemed: order.pointsRedeemed,
    account: { id: order.accountId },
    lineItems: order.items.map((item) => ({
      sku: item.sku,
      productName: item.name,
      quantity: item.qty,
      unitPrice: money(item.unitPrice),
      lineTotal: money(item.unitPrice * item.qty),
    })),
  };
}

interface OrderPage {
  totalCount: number;
  nodes: ReturnType<typeof expectedOrder>[];
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const ORDER_PAGE = `
  pocoOrders(first: ${PAGE}, after: $after) {
    totalCount nodes { ${ORDER_FIELDS} } edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
`;

/**
 * Every linked user's orders, page by page with first=7. The first pages of
 * all users come in one `_entities` request (as a router batches them); later
 * pages one alias per user, each with its own `after`, up to 19 per request
 * (the service allows 20 root fields).
 */
async function walkAllOrderPages(userIds: readonly string[]): Promise<Map<string, OrderPage[]>> {
  const pages = new Map<string, OrderPage[]>(userIds.map((id) => [id, []]));
  const record = (userId: string, page: OrderPage, next: { userId: string; after: string | null }[]) => {
    pages.get(userId)!.push(page);
    if (page.pageInfo.hasNextPage) next.push({ userId, after: page.pageInfo.endCursor });
    // A runaway walk (a page that never ends) fails here rather than looping forever.
    expect(pages.get(userId)!.length).toBeLessThanOrEqual(Math.ceil(ordersOfUser(oracle, userId).length / PAGE) + 1);
  };

  let pending: { userId: string; after: string | null }[] = [];
  const first = await api(
    `query FirstPages($representations: [_Any!]!, $after: String) { _entities(representations: $representations) { ... on User { ${ORDER_PAGE} } } }`,
    { representations: userIds.map((id) => ({ __typename: 'User', id })), after: null },
  );
  noErrors(first);
  (first.data?._entities as { pocoOrders: OrderPage }[]).forEach((user, i) => record(userIds[i]!, user.pocoOrders, pending));

  while (pending.length > 0) {
    const next: typeof pending = [];
    // A user is in at most one batch per round, so the batches of a round may run side by side.
    const responses = await Promise.all(
      chunks(pending, 19).map(async (batch) => {
        const declarations = batch.map((_, i) => `$r${i}: [_Any!]!, $a${i}: String`).join(', ');
        const selections = batch
          .map((_, i) => `u${i}: _entities(representations: $r${i}) { ... on User { ${ORDER_PAGE.replace('$after', `$a${i}`)} } }`)
          .join('\n');
        const variables: Record<string, unknown> = {};
        batch.forEach(({ userId, after }, i) => {
          variables[`r${i}`] = [{ __typename: 'User', id: userId }];
          variables[`a${i}`] = after;
        });
        return { batch, response: await api(`query NextPages(${declarations}) { ${selections} }`, variables) };
      }),
    );
    for (const { batch, response } of responses) {
      noErrors(response);
      batch.forEach(({ userId }, i) => record(userId, (response.data?.[`u${i}`] as { pocoOrders: OrderPage }[])[0]!.pocoOrders, next));
    }
    pending = next;
  }
  return pages;
}

describe('the seeded export, imported', () => {
  it('holds what the seed generator promises: linked users, multi-store users and unlinked accounts', () => {
    const byUser = linkedAccountsByUser(oracle);
    expect(byUser.size).toBeGreaterThan(USERS / 2);
    expect([...byUser.values()].filter((accounts) => new Set(accounts.map((a) => a.store)).size > 1).length).toBeGreaterThan(0);
    expect([...oracle.accounts.values()].filter((account) => account.xiaomiUserId === null).length).toBeGreaterThan(0);
    expect(oracle.orders.size).toBeGreaterThan(USERS);
    // The comparisons below only mean something if the export is as messy as real ones.
    for (const quirk of [
      'timestamp_iso_offset', 'timestamp_wall_clock', 'timestamp_wall_clock_dst_repeated', 'timestamp_wall_clock_dst_skipped',
      'timestamp_epoch_ms', 'money_number', 'money_string', 'money_decimal_comma', 'code_case', 'store_gb', 'email_messy',
      'points_positive_sign', 'repeated_changed', 'blank_line', 'gzip_file',
    ] as const) {
      expect({ quirk, written: manifest.quirks[quirk] > 0 }).toEqual({ quirk, written: true });
    }
  });

  const MODELLED = ['accounts', 'orders', 'coupons', 'coupon_reissues', 'points_ledger', 'points_transfers', 'feedback'] as const;

  it('rejects exactly the lines the format says to reject, and imports every other one', () => {
    expect(oracle.rejected.size).toBeGreaterThan(0);
    expect([...oracle.rejected.keys()].some((key) => key.startsWith('feedback.ndjson:'))).toBe(true);
    // Every file is modelled: the importer's rejects are exactly the oracle's.
    expect([...importedRejects].sort()).toEqual([...oracle.rejected.keys()].sort());
  });

  it('loses nothing: every line read is counted once, and the database holds one record per accepted id', async () => {
    expect(report.complete).toBe(true);
    for (const name of MODELLED) {
      const file = report.files[name]!;
      const fileName = [...oracle.linesRead.keys()].find((candidate) => candidate.startsWith(`${name}.ndjson`))!;
      const rejectedHere = [...oracle.rejected.keys()].filter((key) => key.startsWith(`${fileName}:`)).length;
      expect({ name, read: file.read, rejected: file.rejected }).toEqual({ name, read: oracle.linesRead.get(fileName), rejected: rejectedHere });
      expect(file.inserted + file.updated + file.unchanged + file.rejected).toBe(file.read);
    }
    const c = collectionsOf(testDb.db);
    expect({
      accounts: await c.accounts.countDocuments(),
      orders: await c.orders.countDocuments(),
      coupons: await c.coupons.countDocuments(),
      reissues: await c.couponReissues.countDocuments(),
      ledger: await c.pointsLedger.countDocuments(),
      transfers: await c.pointsTransfers.countDocuments(),
      feedback: await c.feedback.countDocuments(),
    }).toEqual({
      accounts: oracle.accounts.size,
      orders: oracle.orders.size,
      coupons: oracle.coupons.size,
      reissues: oracle.reissues.size,
      ledger: oracle.ledger.size,
      transfers: oracle.transfers.size,
      feedback: oracle.feedback.size,
    });
  });

  it("reconciles with the export: order totals per currency and ledger points match the files' own sums", () => {
    const totals = new Map<string, number>();
    for (const order of oracle.orders.values()) totals.set(order.currency, (totals.get(order.currency) ?? 0) + order.total);
    expect(report.reconciliation.orderTotals).toEqual(Object.fromEntries([...totals].map(([currency, minor]) => [currency, formatMoney(minor)])));
    expect(report.reconciliation.ledgerPoints).toBe([...oracle.ledger.values()].reduce((sum, entry) => sum + entry.points, 0));
  });
});

describe('orders through the API', () => {
  let pagesByUser: Map<string, OrderPage[]>;

  beforeAll(async () => {
    pagesByUser = await walkAllOrderPages([...linkedAccountsByUser(oracle).keys()]);
    // About 20 requests; on the local FerretDB each costs up to a few seconds on a busy 2-core machine.
  }, 600_000);

  it('walks every page with first=7 and meets each order of the user exactly once, newest first', () => {
    expect(pagesByUser.size).toBeGreaterThan(USERS / 2);
    for (const [userId, pages] of pagesByUser) {
      const expected = ordersOfUser(oracle, userId).map((order) => order.id);
      const seen = pages.flatMap((page) => page.nodes.map((node) => node.id));
      expect({ userId, orders: seen }).toEqual({ userId, orders: expected });
    }
  });

  it('cuts pages at the right boundaries: 7 per page, edges match nodes, totalCount on every page', () => {
    // Some users need several pages (so boundaries are crossed).
    expect([...pagesByUser.values()].some((pages) => pages.length > 2)).toBe(true);
    for (const [userId, pages] of pagesByUser) {
      const expected = ordersOfUser(oracle, userId);
      expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / PAGE)));
      pages.forEach((page, index) => {
        const slice = expected.slice(index * PAGE, (index + 1) * PAGE).map((order) => order.id);
        expect({ userId, index, ids: page.nodes.map((node) => node.id) }).toEqual({ userId, index, ids: slice });
        expect(page.edges.map((edge) => edge.node.id)).toEqual(slice);
        expect(page.totalCount).toBe(expected.length);
        expect(page.pageInfo.hasNextPage).toBe(index < pages.length - 1);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      });
    }
  });

  it('answers every order with the totals, amounts and line items of its export line', () => {
    let compared = 0;
    for (const pages of pagesByUser.values()) {
      for (const node of pages.flatMap((page) => page.nodes)) {
        expect(node).toEqual(expectedOrder(oracle.orders.get(node.id)!));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(USERS);
  });

  it('formats every amount with exactly two decimals', () => {
    expect(pagesByUser.size).toBeGreaterThan(USERS / 2);
    for (const pages of pagesByUser.values()) {
      for (const node of pages.flatMap((page) => page.nodes)) {
        for (const money of [node.subtotal, node.shippingFee, node.discountTotal, node.taxTotal, node.total, node.refundedTotal]) {
          expect(money.amount).toMatch(/^-?(0|[1-9]\d*)\.\d{2}$/);
        }
      }
    }
  });

  it("merges the orders of a multi-store user's accounts under the one Xiaomi user", () => {
    const multiStore = [...linkedAccountsByUser(oracle)].filter(
      ([userId]) => new Set(ordersOfUser(oracle, userId).map((order) => order.store)).size > 1,
    );
    expect(multiStore.length).toBeGreaterThan(0);
    for (const [userId, accounts] of multiStore) {
      const nodes = pagesByUser.get(userId)!.flatMap((page) => page.nodes);
      const expected = ordersOfUser(oracle, userId);
      expect(new Set(nodes.map((node) => node.store))).toEqual(new Set(expected.map((order) => order.store)));
      expect(new Set(nodes.map((node) => node.account.id))).toEqual(new Set(expected.map((order) => order.accountId)));
      expect(accounts.length).toBeGreaterThan(1);
    }
  });
});

describe('feedback through the API', () => {
  it('answers every order’s feedback, oldest first, with every field of its export line', async () => {
    const orderIds = [...oracle.orders.keys()];
    let compared = 0;
    for (const batch of chunks(orderIds, 200)) {
      const response = await api(
        /* GraphQL */ `
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) {
              ... on PocoOrder { id feedback { id kind rating title body sku createdAt reply { body repliedAt } } }
            }
          }
        `,
        { representations: batch.map((id) => ({ __typename: 'PocoOrder', id })) },
      );
      noErrors(response);
      const orders = response.data?._entities as { id: string; feedback: unknown[] }[];
      expect(orders.map((order) => order.id)).toEqual(batch);
      for (const order of orders) {
        const expected = feedbackOfOrder(oracle, order.id).map((feedback) => ({
          id: feedback.id,
          kind: feedback.kind,
          rating: feedback.rating,
          title: feedback.title,
          body: feedback.body,
          sku: feedback.sku,
          createdAt: feedback.createdAt.toISOString(),
          reply: feedback.reply ? { body: feedback.reply.body, repliedAt: feedback.reply.at.toISOString() } : null,
        }));
        expect({ id: order.id, feedback: order.feedback }).toEqual({ id: order.id, feedback: expected });
        compared += order.feedback.length;
      }
    }
    // Every accepted feedback record was compared once, and the seed wrote every kind, replies included.
    expect(compared).toBe(oracle.feedback.size);
    const all = [...oracle.feedback.values()];
    expect(new Set(all.map((feedback) => feedback.kind))).toEqual(new Set(['PRODUCT_REVIEW', 'DELIVERY_RATING', 'SERVICE_TICKET']));
    expect(all.some((feedback) => feedback.reply !== null)).toBe(true);
  }, SLOW);
});

describe('points and coupons through the API', () => {
  it("answers every user's accounts, points balance, lifetime figures, transfers and ledger size from the files", async () => {
    const userIds = [...linkedAccountsByUser(oracle).keys()];
    for (const batch of chunks(userIds, 100)) {
      const response = await api(
        /* GraphQL */ `
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) {
              ... on User {
                id
                pocoAccounts { id store email registeredAt }
                pocoPoints {
                  balance lifetimeEarned lifetimeRedeemed lifetimeExpired
                  transfers { store pocoPoints xiaomiPoints rate transferredAt }
                  history(first: 1) { totalCount }
                }
              }
            }
          }
        `,
        { representations: batch.map((id) => ({ __typename: 'User', id })) },
      );
      noErrors(response);
      const users = response.data?._entities as { id: string; pocoAccounts: unknown; pocoPoints: unknown }[];
      expect(users.map((user) => user.id)).toEqual(batch);
      for (const user of users) {
        const expected = pointsOfUser(oracle, user.id)!;
        const accounts = linkedAccountsByUser(oracle).get(user.id)!;
        const ledgerEntries = [...oracle.ledger.values()].filter((entry) => accounts.some((account) => account.id === entry.accountId));
        expect({ id: user.id, accounts: user.pocoAccounts, points: user.pocoPoints }).toEqual({
          id: user.id,
          // Oldest registeredAt first, ties by id; emails normalised (trimmed, lower case).
          accounts: [...accounts]
            .sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || (a.id < b.id ? -1 : 1))
            .map((account) => ({ id: account.id, store: account.store, email: account.email, registeredAt: account.registeredAt.toISOString() })),
          points: {
            balance: expected.balance,
            lifetimeEarned: expected.lifetimeEarned,
            lifetimeRedeemed: expected.lifetimeRedeemed,
            lifetimeExpired: expected.lifetimeExpired,
            transfers: expected.transfers.map((transfer) => ({
              store: transfer.store,
              pocoPoints: transfer.pocoPoints,
              xiaomiPoints: transfer.miPoints,
              rate: transfer.rate,
              transferredAt: transfer.transferredAt.toISOString(),
            })),
            history: { totalCount: ledgerEntries.length },
          },
        });
      }
    }
    expect([...oracle.transfers.values()].length).toBeGreaterThan(0);
  }, SLOW);

  it("answers every user's coupons newest first with the status the format derives", async () => {
    const userIds = [...linkedAccountsByUser(oracle).keys()];
    const seenStatuses = new Set<string>();
    for (const batch of chunks(userIds, 100)) {
      const requestedAt = new Date();
      const response = await api(
        /* GraphQL */ `
          query ($representations: [_Any!]!) {
            _entities(representations: $representations) {
              ... on User { id pocoCoupons { id code store status reissue { xiaomiCouponId xiaomiCouponCode } } }
            }
          }
        `,
        { representations: batch.map((id) => ({ __typename: 'User', id })) },
      );
      noErrors(response);
      for (const user of response.data?._entities as { id: string; pocoCoupons: { id: string; status: string }[] }[]) {
        const expected = couponsOfUser(oracle, user.id).map((coupon) => {
          const reissue = oracle.reissues.get(coupon.id);
          return {
            id: coupon.id,
            code: coupon.code,
            store: coupon.store,
            // A coupon expiring within the request's minute may fall either side of "now".
            status: Math.abs(coupon.validUntil.getTime() - requestedAt.getTime()) < 60_000 ? expect.any(String) : couponStatus(oracle, coupon, requestedAt),
            reissue: reissue ? { xiaomiCouponId: reissue.xiaomiCouponId, xiaomiCouponCode: reissue.xiaomiCouponCode } : null,
          };
        });
        expect({ id: user.id, coupons: user.pocoCoupons }).toEqual({ id: user.id, coupons: expected });
        for (const coupon of user.pocoCoupons) seenStatuses.add(coupon.status);
      }
    }
    // The seed exercises every derived status that can still hold today (po.co closed in 2024: whether any
    // coupon is still ACTIVE depends on the day the test runs, and the per-coupon comparison above covers it).
    expect([...seenStatuses].sort()).toEqual(expect.arrayContaining(['EXPIRED', 'REDEEMED', 'REISSUED', 'VOIDED']));
  }, SLOW);
});

describe('unlinked accounts', () => {
  const BY_EMAIL = /* GraphQL */ `
    query ($email: String!) { pocoAccountsByEmail(email: $email) { id store email user { id } orders(first: 100) { totalCount nodes { id } } } }
  `;

  it('are reachable with poco:support through pocoAccountsByEmail, with their orders', async () => {
    const unlinked = [...oracle.accounts.values()].filter((account) => account.xiaomiUserId === null);
    expect(unlinked.length).toBeGreaterThan(0);
    // A few suffice (each asks for the account's orders); the oracle and the importer agree on all of them above.
    for (const account of unlinked.slice(0, 6)) {
      // The argument is trimmed and lower-cased before the exact match.
      const response = await api(BY_EMAIL, { email: `  ${account.email.toUpperCase()} ` });
      noErrors(response);
      const found = (response.data?.pocoAccountsByEmail as { id: string }[]).find((candidate) => candidate.id === account.id);
      const orders = [...oracle.orders.values()]
        .filter((order) => order.accountId === account.id)
        .sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((order) => ({ id: order.id }));
      expect(found).toEqual({
        id: account.id,
        store: account.store,
        email: account.email,
        user: null,
        orders: { totalCount: orders.length, nodes: orders },
      });
      // Every account with that email, linked or not, and no other.
      const sameEmail = [...oracle.accounts.values()].filter((candidate) => candidate.email === account.email).map((a) => a.id);
      expect((response.data?.pocoAccountsByEmail as { id: string }[]).map((a) => a.id).sort()).toEqual(sameEmail.sort());
    }
  }, SLOW);

  it('are not reachable by a user token, neither by email nor by order id', async () => {
    const account = [...oracle.accounts.values()].find(
      (candidate) => candidate.xiaomiUserId === null && [...oracle.orders.values()].some((order) => order.accountId === candidate.id),
    )!;
    const order = [...oracle.orders.values()].find((candidate) => candidate.accountId === account.id)!;
    const someUser = [...linkedAccountsByUser(oracle).keys()][0]!;
    const userToken = await subgraph.token(someUser);

    const byEmail = await api(BY_EMAIL, { email: account.email }, userToken);
    expect(byEmail.data?.pocoAccountsByEmail ?? null).toBeNull();
    expect(errorCodesAt(byEmail, 'pocoAccountsByEmail')).toEqual(['FORBIDDEN']);

    const ORDER = /* GraphQL */ `query ($id: ID!) { pocoOrder(id: $id) { id orderNumber } }`;
    const asUser = await api(ORDER, { id: order.id }, userToken);
    expect(asUser.data?.pocoOrder).toBeNull();
    const asSupport = await api(ORDER, { id: order.id });
    noErrors(asSupport);
    expect(asSupport.data?.pocoOrder).toEqual({ id: order.id, orderNumber: order.orderNumber });

    const anonymous = await api(BY_EMAIL, { email: account.email }, null);
    expect(errorCodesAt(anonymous, 'pocoAccountsByEmail')).toEqual(['UNAUTHENTICATED']);
  }, SLOW);
});

describe('a user reading their own history', () => {
  it('sees exactly their own orders with their own token, and FORBIDDEN for another user', async () => {
    const [first, second] = [...linkedAccountsByUser(oracle).keys()].filter((userId) => ordersOfUser(oracle, userId).length > 0);
    const token = await subgraph.token(first!);
    const QUERY = /* GraphQL */ `
      query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id pocoOrders(first: 100) { totalCount nodes { id } } } } }
    `;
    const own = await api(QUERY, { representations: [{ __typename: 'User', id: first }] }, token);
    noErrors(own);
    expect((own.data?._entities as { pocoOrders: { nodes: { id: string }[] } }[])[0]!.pocoOrders.nodes.map((node) => node.id)).toEqual(
      ordersOfUser(oracle, first!).slice(0, 100).map((order) => order.id),
    );

    const other = await api(QUERY, { representations: [{ __typename: 'User', id: second }] }, token);
    expect((other.data?._entities as { pocoOrders: unknown }[])[0]!.pocoOrders).toBeNull();
    expect(errorCodesAt(other, '_entities.0.pocoOrders')).toEqual(['FORBIDDEN']);
  }, SLOW);
});

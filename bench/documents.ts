/**
 * `npm run bench:documents` (issue 10): how long a proof of purchase takes to
 * make, and whether making PDFs stalls other requests.
 *
 * On seeded data (the demo export of `npm start`, through the real importer):
 *   1. one PDF, sequentially: the layout on this thread (what a download
 *      would cost the event loop without the pool) and through the worker
 *      pool (what a download waits for), p50/p99;
 *   2. the `me` page's query to this subgraph (the router's `_entities` for the
 *      user with orders, line items, warranty, points and coupons): p50/p99
 *      alone, then while 10 PDF downloads run concurrently the whole time,
 *      with PDFs made by the worker pool and, for comparison, on the event loop.
 *
 * The client runs in the server's process (its work only adds to the loop's),
 * on the local database (FerretDB or mongod) or MONGODB_URI. Prints
 * `[figures]` lines. BENCH_DOC_SAMPLES (default 100) samples per figure.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MongoClient, type Db } from 'mongodb';
import { startSubgraph, type RunningSubgraph } from '../src/app';
import { signDevToken } from '../src/auth/devToken';
import { loadConfig } from '../src/config';
import { collectionsOf } from '../src/db/collections';
import type { OrderDoc } from '../src/db/documents';
import { startLocalDatabase, type LocalDatabase } from '../src/db/localDatabase';
import { defineDocumentKind } from '../src/documents/kind';
import { mayReadAccountItem } from '../src/accounts/access';
import { proofOfPurchaseContent } from '../src/afterSales/proofOfPurchase/content';
import { proofOfPurchaseKind } from '../src/afterSales/proofOfPurchase/kind';
import { renderProofOfPurchasePdf } from '../src/afterSales/proofOfPurchase/pdf';
import { closeRenderPool, renderProofOfPurchase, RENDER_THREADS } from '../src/afterSales/proofOfPurchase/renderPool';
import { seedDemoData } from '../src/seed';


const SAMPLES = Number(process.env.BENCH_DOC_SAMPLES ?? 100);
const CONCURRENT_DOWNLOADS = 10;
const USER = 'demo-user-1';

const ME_QUERY = `query Me($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) { ... on User {
  pocoAccounts { id store email displayName }
  pocoOrders(first: 10) { totalCount nodes { id orderNumber placedAt status total { amount currencyCode }
    lineItems { sku productName variant quantity unitPrice { amount currencyCode } warranty { endsAt status } }
    shipments { id status deliveredAt } } }
  pocoPoints { balance lifetimeEarned }
  pocoCoupons { id code status }
} } }`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50=${percentile(sorted, 50).toFixed(1)}ms p99=${percentile(sorted, 99).toFixed(1)}ms max=${sorted[sorted.length - 1]!.toFixed(1)}ms n=${sorted.length}`;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The same document kind, but laid out on the event loop (what the pool avoids). */
const inlineKind = defineDocumentKind<OrderDoc>({
  name: 'proofOfPurchase',
  contentType: 'application/pdf',
  load: (context, id) => context.loaders.orders.byId.load(id),
  mayRead: (context, order) => mayReadAccountItem(context, order.accountId),
  fileName: (order) => `poco-order-${order.orderNo}.pdf`,
  render: (context, order) =>
    renderProofOfPurchasePdf(proofOfPurchaseContent(order, { warrantyMonths: context.warrantyMonths[order.store], now: context.now })),
});

async function post(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(`query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return body;
}

async function measureMe(subgraph: RunningSubgraph, token: string, label: string, links: readonly string[] | undefined): Promise<void> {
  let downloading = links !== undefined;
  let downloads = 0;
  const downloaders = (links ?? []).slice(0, CONCURRENT_DOWNLOADS).map(async (_unused, worker) => {
    while (downloading) {
      // A fresh link each time (they expire), for a different order per downloader.
      const url = links![worker % links!.length]!;
      const response = await fetch(url);
      if (response.status !== 200) throw new Error(`download answered ${response.status}`);
      await response.arrayBuffer();
      downloads++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, links ? 300 : 0)); // let the downloads get going
  // How long the event loop was held: the stall every other request of the process sees.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await timed(() => post(subgraph.url, token, ME_QUERY, { id: USER })));
  loopDelay.disable();
  downloading = false;
  await Promise.all(downloaders);
  const ms = (nanos: number): string => (nanos / 1e6).toFixed(1);
  console.log(
    `[figures] me query ${label}: ${summary(samples)}${links ? ` (PDF downloads meanwhile: ${downloads})` : ''};` +
      ` event-loop delay p50=${ms(loopDelay.percentile(50))}ms p99=${ms(loopDelay.percentile(99))}ms max=${ms(loopDelay.max)}ms;` +
      ` load average ${loadavg()[0]!.toFixed(1)} on this machine`,
  );
}

async function main(): Promise<void> {
  let local: LocalDatabase | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    local = await startLocalDatabase({ log: (line) => console.log(`[bench:documents] ${line}`) });
    uri = local.uri;
  }
  const client = new MongoClient(uri);
  await client.connect();
  const dbName = `poco_bench_documents_${randomBytes(3).toString('hex')}`;
  const db: Db = client.db(dbName);
  const servers: RunningSubgraph[] = [];
  try {
    console.log('[bench:documents] seeding the demo data set (25 users) through the importer…');
    await seedDemoData(db, { users: 25 });
    const secret = randomBytes(32).toString('hex');
    const env = { MONGODB_URI: uri, MONGODB_DB: dbName, PORT: '0', JWT_SECRET: secret, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    const token = await signDevToken({ sub: USER, secret, expiresIn: '1h' });

    // The user's orders, most line items first: the heaviest PDFs of the data set.
    const accountIds = (await collectionsOf(db).accounts.find({ xiaomiUserId: USER }).toArray()).map((a) => a._id);
    const orders = (await collectionsOf(db).orders.find({ accountId: { $in: accountIds } }).toArray()).sort(
      (a, b) => b.items.length - a.items.length,
    );
    if (orders.length === 0) throw new Error('the seeded data has no orders for the demo user');
    const heaviest = orders[0]!;
    console.log(`[figures] seeded: ${orders.length} orders of ${USER}, heaviest with ${heaviest.items.length} line items; render threads: ${RENDER_THREADS}`);

    // 1. One PDF, sequentially.
    const content = proofOfPurchaseContent(heaviest, { warrantyMonths: 24, now: new Date() });
    await renderProofOfPurchasePdf(content); // parse the fonts once, like a warm server
    await renderProofOfPurchase(content); // start a pool thread
    const onLoop: number[] = [];
    const inPool: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      onLoop.push(await timed(() => renderProofOfPurchasePdf(content)));
      inPool.push(await timed(() => renderProofOfPurchase(content)));
    }
    const contentBuild: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      contentBuild.push(await timed(async () => proofOfPurchaseContent(heaviest, { warrantyMonths: 24, now: new Date() })));
    }
    console.log(`[figures] a download's work on the event loop besides reading the order (the PDF's text in the store's language): ${summary(contentBuild)}`);
    console.log(`[figures] one PDF laid out on the event loop (synchronous CPU a download would hold the loop for): ${summary(onLoop)}`);
    console.log(`[figures] one PDF through the worker pool (what a download waits for): ${summary(inPool)}`);

    for (const [label, kinds] of [
      ['worker pool', [proofOfPurchaseKind]],
      ['on the event loop', [inlineKind]],
    ] as const) {
      const subgraph = await startSubgraph({ config: loadConfig(env), db, documentKinds: kinds });
      servers.push(subgraph);
      const links: string[] = [];
      const linkQuery = `query ($id: ID!) { pocoOrder(id: $id) { proofOfPurchase { url } } }`;
      for (const order of orders.slice(0, CONCURRENT_DOWNLOADS)) {
        links.push((await post(subgraph.url, token, linkQuery, { id: order._id })).data.pocoOrder.proofOfPurchase.url);
      }
      // Warm-up: loaders, JIT, connections, pool threads.
      for (let i = 0; i < 10; i++) await post(subgraph.url, token, ME_QUERY, { id: USER });
      await (await fetch(links[0]!)).arrayBuffer();
      if (label === 'worker pool') await measureMe(subgraph, token, 'alone', undefined);
      await measureMe(subgraph, token, `with ${CONCURRENT_DOWNLOADS} concurrent PDF downloads, PDFs made ${label}`, links);
      await subgraph.close();
    }
  } finally {
    for (const server of servers) await server.close().catch(() => {});
    await closeRenderPool();
    await db.dropDatabase().catch(() => {});
    await client.close();
    await local?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

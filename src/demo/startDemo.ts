/**
 * The demo supergraph on one machine: our subgraph (startSubgraph, as `npm
 * start` runs it), the sample accounts subgraph, the sample support-tickets
 * subgraph and the gateway composing the three. `npm run demo` runs it on the
 * local database; tests run it on a test database with free ports.
 */
import { parse } from 'graphql';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { startSubgraph, type RunningSubgraph } from '../app';
import { createAuthenticator } from '../auth/viewer';
import type { Config } from '../config';
import { collectionsOf } from '../db/collections';
import { accountsTypeDefs, identifyWith, SAMPLE_USERS, startAccountsSubgraph, type SampleUser } from './accountsSubgraph';
import { readPocoSchemaSdl } from './federationLink';
import { startGateway, type RunningGateway } from './gateway';
import type { RunningServer } from './serveSubgraph';
import { demoIdeStart, subgraphIdeStart } from '../ide/demoStart';
import { startSupportTicketsSubgraph, supportTicketsTypeDefs, type SampleTicket } from './supportTicketsSubgraph';

export interface DemoOptions {
  config: Config;
  db: Db;
  logger?: Logger;
  /** Default 4000; 0 = a free port. */
  gatewayPort?: number;
}

export interface RunningDemo {
  readonly gateway: RunningGateway;
  readonly subgraph: RunningSubgraph;
  readonly accounts: RunningServer;
  readonly support: RunningServer;
  readonly users: readonly SampleUser[];
  readonly tickets: readonly SampleTicket[];
  /** Gateway first, our subgraph last; the database stays the caller's. */
  close(): Promise<void>;
}

/** The gateway's port: 4000 unless told otherwise. */
export const DEFAULT_GATEWAY_PORT = 4000;

/**
 * The sample users plus every Xiaomi user the database links POCO accounts
 * to, so `user(id:)` answers for any seeded user, not only the demo ones.
 */
export async function demoUsers(db: Db): Promise<SampleUser[]> {
  const users = new Map(SAMPLE_USERS.map((user) => [user.id, user]));
  const linked = await collectionsOf(db)
    .accounts.find({ xiaomiUserId: { $ne: null } }, { projection: { xiaomiUserId: 1, displayName: 1, email: 1, registeredAt: 1 } })
    .sort({ registeredAt: 1, _id: 1 })
    .toArray();
  for (const account of linked) {
    const id = account.xiaomiUserId;
    if (id === null || users.has(id)) continue;
    users.set(id, { id, name: account.displayName ?? `Xiaomi user ${id}`, email: account.email });
  }
  return [...users.values()];
}

/**
 * Support tickets about real orders of the database: demo-user-1's two newest,
 * another user's newest, an unlinked account's, and one about an order that
 * does not exist, so the demo shows what each caller may see.
 */
export async function demoTickets(db: Db): Promise<SampleTicket[]> {
  const { accounts, orders } = collectionsOf(db);
  const newestOrders = async (filter: Parameters<typeof accounts.find>[0], limit: number) => {
    const accountIds = (await accounts.find(filter, { projection: { _id: 1 } }).limit(20).toArray()).map((account) => account._id);
    if (accountIds.length === 0) return [];
    return orders.find({ accountId: { $in: accountIds } }, { projection: { _id: 1, orderNo: 1 } }).sort({ placedAt: -1, _id: -1 }).limit(limit).toArray();
  };
  const own = await newestOrders({ xiaomiUserId: 'demo-user-1' }, 2);
  const other = await newestOrders({ xiaomiUserId: { $nin: [null, 'demo-user-1'] } }, 1);
  const unlinked = await newestOrders({ xiaomiUserId: null }, 1);
  const tickets: SampleTicket[] = [
    ...own.map((order) => ({ subject: `Where is my order ${order.orderNo}?`, orderId: order._id })),
    ...other.map((order) => ({ subject: `Invoice copy for ${order.orderNo}`, orderId: order._id })),
    ...unlinked.map((order) => ({ subject: `Guest order ${order.orderNo}`, orderId: order._id })),
    { subject: 'An order number nobody can find', orderId: 'no-such-order' },
  ].map((ticket, index) => ({ id: `TICKET-${index + 1}`, ...ticket }));
  return tickets;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const { config, db } = options;
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async (): Promise<void> => {
    // Reverse start order: nothing calls a server after it stopped. Every close runs even if one fails.
    const failures: unknown[] = [];
    for (const server of started.splice(0).reverse()) await server.close().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };
  try {
    const subgraph = await startSubgraph({ config, db, ide: subgraphIdeStart(config), ...(options.logger ? { logger: options.logger } : {}) });
    started.push(subgraph);
    const users = await demoUsers(db);
    const accounts = await startAccountsSubgraph({ identify: identifyWith(createAuthenticator(config.jwt)), users, host: config.host });
    started.push(accounts);
    const tickets = await demoTickets(db);
    const support = await startSupportTicketsSubgraph({ tickets, host: config.host });
    started.push(support);
    const gateway = await startGateway({
      port: options.gatewayPort ?? DEFAULT_GATEWAY_PORT,
      host: config.host,
      // The gateway's URL in a browser: GraphiQL with the merged query and demo-user-1's token (never in production).
      ...(config.isProduction ? {} : { ide: demoIdeStart(config, EXAMPLE_QUERY) }),
      subgraphs: [
        { name: 'poco', url: subgraph.url, typeDefs: parse(readPocoSchemaSdl()) },
        { name: 'accounts', url: accounts.url, typeDefs: accountsTypeDefs() },
        { name: 'support', url: support.url, typeDefs: supportTicketsTypeDefs() },
      ],
    });
    started.push(gateway);
    let closing: Promise<void> | undefined;
    return { gateway, subgraph, accounts, support, users, tickets, close: () => (closing ??= closeAll()) };
  } catch (error) {
    await closeAll().catch(() => {});
    throw error;
  }
}

/** The merged query the demo suggests: one request, fields from two subgraphs. */
export const EXAMPLE_QUERY = `{
  me {
    name
    pocoOrders(first: 3) {
      totalCount
      nodes { orderNumber placedAt total { amount currencyCode } lineItems { productName } }
    }
    pocoPoints { balance transfers { xiaomiPoints } }
    pocoCoupons { code status reissue { xiaomiCouponCode } }
  }
}`;

/** A query across the support-tickets subgraph and ours (try it with either token). */
export const EXAMPLE_TICKETS_QUERY = `{ supportTickets { id subject order { orderNumber total { amount currencyCode } } } }`;

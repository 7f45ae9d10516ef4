/**
 * An `_entities` request for K users selecting every poco* field must cost a
 * fixed number of database commands, whatever K (api.md: "batched across every
 * representation in one request"). Counted with the driver's command monitoring.
 */
import type { CommandStartedEvent } from 'mongodb';
import { account, at, balance, coupon, entry, feedback, order, reissue, transfer } from '../resolvers/fixtures';
import { expectNoErrors, startHarness, supportViewer, type Harness } from '../resolvers/harness';

const EVERY_POCO_FIELD = `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on User {
        id
        pocoAccounts { id store email displayName registeredAt migratedAt user { id }
          orders(first: 2) { totalCount nodes { id } } }
        pocoOrders(first: 5) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { cursor node {
            id orderNumber store placedAt status currencyCode
            account { id } user { id }
            total { amount currencyCode } subtotal { amount } refundedTotal { amount }
            lineItems { sku product { sku } quantity unitPrice { amount } lineTotal { amount } }
            shipments { id carrier events { occurredAt status } }
            couponsApplied { id code status }
            feedback { id kind rating reply { body repliedAt } }
            shippingAddress { city countryCode }
          } }
        }
        pocoPoints {
          balance lifetimeEarned lifetimeRedeemed lifetimeExpired
          transfers { store pocoPoints xiaomiPoints rate transferredAt xiaomiLoyaltyAccountId }
          history(first: 10) { totalCount nodes { id type points balanceAfter order { id orderNumber } } }
        }
        pocoCoupons {
          id code status amountOff { amount } percentOff
          redeemedAt redeemedOrder { id total { amount } }
          reissue { xiaomiCouponId xiaomiCouponCode }
        }
      }
    }
  }
`;

const USERS = 50;
let harness: Harness;
const commands: CommandStartedEvent[] = [];

/** Every user has the same shape of history, so each K selects the same kinds of data. */
async function seedUser(i: number): Promise<void> {
  const { collections } = harness;
  const user = `user-${i}`;
  const [a, b] = [`acc-${i}-g`, `acc-${i}-u`];
  await collections.accounts.insertMany([
    account(a, { xiaomiUserId: user, store: 'GLOBAL' }),
    account(b, { xiaomiUserId: user, store: 'UK', registeredAt: at('2021-01-01T00:00:00.000Z') }),
  ]);
  const orders = [1, 2, 3].flatMap((n) => [
    order(`ord-${i}-g${n}`, a, { placedAt: at(`2023-0${n}-01T00:00:00.000Z`), couponCodes: n === 3 ? [`C-${i}-1`] : [] }),
    order(`ord-${i}-u${n}`, b, { store: 'UK', currency: 'GBP', placedAt: at(`2023-0${n}-15T00:00:00.000Z`) }),
  ]);
  await collections.orders.insertMany(orders);
  await collections.feedback.insertMany(orders.map((o) => feedback(`fb-${o._id}`, o._id, o.accountId)));
  await collections.pointsLedger.insertMany([
    entry(`le-${i}-1`, a, { orderId: `ord-${i}-g1`, at: at('2023-01-02T00:00:00.000Z') }),
    entry(`le-${i}-2`, a, { type: 'REDEEMED', points: -50, balanceAfter: 50, orderId: `ord-${i}-g2` }),
    entry(`le-${i}-3`, b, { store: 'UK', orderId: null }),
  ]);
  await collections.pointsBalances.insertMany([balance(a, { balance: 50, earned: 100, redeemed: 50 }), balance(b, { balance: 100, earned: 100 })]);
  await collections.pointsTransfers.insertMany([transfer(a)]);
  await collections.coupons.insertMany([
    coupon(`C-${i}-1`, a, { code: `C-${i}-1`, exportStatus: 'USED', usedAt: at('2023-01-01T00:00:00.000Z'), usedOrderId: `ord-${i}-g3` }),
    coupon(`C-${i}-2`, b, { code: `C-${i}-2`, store: 'UK', currency: 'GBP' }),
  ]);
  await collections.couponReissues.insertMany([reissue(`C-${i}-2`)]);
}

async function countCommands(k: number): Promise<{ count: number; names: string[] }> {
  const representations = Array.from({ length: k }, (_, i) => ({ __typename: 'User', id: `user-${i}` }));
  commands.length = 0;
  const result = await harness.run(EVERY_POCO_FIELD, { viewer: supportViewer(), variables: { representations } });
  const names = commands.map((event) => `${event.commandName}:${String(event.command[event.commandName])}`);
  expectNoErrors(result);
  // The data really came back for every user (so no command was skipped for lack of it).
  expect(result.data!._entities).toHaveLength(k);
  for (const user of result.data!._entities) {
    expect(user.pocoOrders.totalCount).toBe(6);
    expect(user.pocoAccounts).toHaveLength(2);
    expect(user.pocoPoints.history.nodes).toHaveLength(3);
    expect(user.pocoCoupons.map((c: { status: string }) => c.status).sort()).toEqual(['REDEEMED', 'REISSUED']);
  }
  return { count: names.length, names };
}

beforeAll(async () => {
  harness = await startHarness('command_count', { monitorCommands: true });
  for (let i = 0; i < USERS; i += 1) await seedUser(i);
  harness.database.client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event));
});

afterAll(async () => {
  await harness.close();
});

it('costs the same number of database commands for 1, 10 and 50 users, each collection read once or twice', async () => {
  const one = await countCommands(1);
  const ten = await countCommands(10);
  const fifty = await countCommands(50);
  expect(ten.names.sort()).toEqual(one.names.sort());
  expect(fifty.names.sort()).toEqual(one.names.sort());
  // The bound, read by read (each a single find, never a getMore):
  //   accounts of the users                                                   1
  //   orders counted per account (users' and accounts' lists share a filter)  1
  //   the pages' orders (short lists: read whole, one find), feedback of them 2
  //   coupons of the accounts + their reissues                                2
  //   couponsApplied: coupons by code + their reissues                        2
  //   balances, transfers                                                     2
  //   ledger entries counted per account, the history pages' entries        2
  //   orders of ledger entries, orders coupons were redeemed on               2
  // = 14, whatever K.
  expect(one.count).toBeLessThanOrEqual(14);
  // Single-batch finds, plus the two per-account counts ($group, issue 9): never a getMore.
  expect(one.names.filter((name) => !name.startsWith('find:')).sort()).toEqual(['aggregate:orders', 'aggregate:points_ledger']);
});

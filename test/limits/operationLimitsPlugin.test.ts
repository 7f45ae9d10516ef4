/**
 * The limits that need the request's variables (representations, cost),
 * checked before execution, with the operations a router really sends.
 */
import { DEFAULT_REQUEST_LIMITS } from '../../src/limits/settings';
import { requestLimitOptions } from '../../src/limits';
import { limitErrors, startLimitedServer, type LimitedServer } from './server';
import { startRouterHarness, TICKETS_WITH_ORDERS, type RouterHarness } from './routerTraffic';

let limited: LimitedServer;
let router: RouterHarness;
beforeAll(async () => {
  limited = await startLimitedServer();
  router = await startRouterHarness({ ...requestLimitOptions(DEFAULT_REQUEST_LIMITS) });
});
afterAll(async () => {
  await limited.server.stop();
  await router.stop();
});

const ORDER_REFS = `query Refs($representations: [_Any!]!) { _entities(representations: $representations) { ... on PocoOrder { id orderNumber status placedAt total { amount currencyCode } } } }`;
const refs = (count: number) => Array.from({ length: count }, (_, index) => ({ __typename: 'PocoOrder', id: `O${index}` }));

test('a support tool listing 100 tickets with their full orders: the router’s _entities batch passes', async () => {
  await router.run(TICKETS_WITH_ORDERS);
  const sent = router.take();
  expect(sent).toHaveLength(1);
  expect((sent[0]!.variables?.representations as unknown[]).length).toBe(100);
  expect(limitErrors(sent[0]!.errors)).toEqual([]);
});

test('1000 representations pass, 1001 are QUERY_TOO_COMPLEX before anything executes', async () => {
  const ok = await limited.run(ORDER_REFS, { representations: refs(1000) });
  expect(limitErrors(ok.errors)).toEqual([]);
  const before = limited.executions();
  const tooMany = await limited.run(ORDER_REFS, { representations: refs(1001) });
  expect(tooMany.status).toBe(400);
  expect(tooMany.errors).toHaveLength(1);
  expect(tooMany.errors[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'maxRepresentations' });
  expect(tooMany.errors[0]!.message).toBe('The request asks for 1001 entities; at most 1000 are allowed per request. Split the batch.');
  expect(limited.executions()).toBe(before);
});

test('the cost reads first from the variables: the same query passes with 10 and fails with 100 per page', async () => {
  const query = `query Nested($representations: [_Any!]!, $n: Int) { _entities(representations: $representations) { ... on User {
    pocoAccounts { orders(first: $n) { nodes { id account { orders(first: $n) { nodes { id lineItems { sku quantity } } } } } } } } } }`;
  const user = [{ __typename: 'User', id: 'u1' }];
  expect(limitErrors((await limited.run(query, { representations: user, n: 10 })).errors)).toEqual([]);
  const before = limited.executions();
  const costly = await limited.run(query, { representations: user, n: 100 });
  expect(costly.status).toBe(400);
  expect(costly.errors[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'maxCost' });
  expect(costly.errors[0]!.message).toMatch(new RegExp(`^The operation could return up to \\d+ values; at most ${DEFAULT_REQUEST_LIMITS.maxCost} are allowed\\.`));
  expect(limited.executions()).toBe(before);
});

test('one costly entity is refused (maxCostPerEntity) even when the whole operation is within maxCost', async () => {
  // One user, 30 aliased pages of 100 orders: an alias flood a router never plans.
  const pages = Array.from({ length: 30 }, (_, i) => `p${i}: pocoOrders(first: 100, after: "${i}") { nodes { id orderNumber lineItems { sku quantity } shipments { id events { status location } } } }`).join(' ');
  const query = `query Flood($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { ${pages} } } }`;
  const before = limited.executions();
  const flood = await limited.run(query, { representations: [{ __typename: 'User', id: 'u1' }] });
  expect(flood.status).toBe(400);
  expect(flood.errors[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'maxCostPerEntity' });
  expect(flood.errors[0]!.message).toMatch(
    new RegExp(`^One entity of the operation could return up to \\d+ values; at most ${DEFAULT_REQUEST_LIMITS.maxCostPerEntity} are allowed per entity\\.`),
  );
  expect(limited.executions()).toBe(before);
});

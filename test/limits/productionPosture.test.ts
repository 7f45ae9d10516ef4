/**
 * NODE_ENV=production: no introspection (but `_service` for routers), no
 * field suggestions, and ROUTER_SHARED_SECRET keeping /graphql to the router
 * while /health and /ready stay open.
 */
import { randomBytes } from 'node:crypto';
import { hasRouterSecret } from '../../src/limits/routerSecret';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { codesOf, get, post, startHttpSubgraph, type HttpSubgraph } from './http';

let testDb: TestDatabase;
let production: HttpSubgraph;
const ROUTER_SECRET = randomBytes(24).toString('hex');
const routerHeaders = { 'x-router-secret': ROUTER_SECRET };

beforeAll(async () => {
  testDb = await openTestDatabase('production');
  production = await startHttpSubgraph({
    db: testDb.db,
    env: { NODE_ENV: 'production', CURSOR_SECRET: randomBytes(32).toString('hex'), DOCUMENT_SECRET: randomBytes(32).toString('hex'), ROUTER_SHARED_SECRET: ROUTER_SECRET },
  });
});

afterAll(async () => {
  await production?.close();
  await testDb?.drop();
});

test('introspection is refused in production, while _service { sdl } still answers routers', async () => {
  const introspection = await post(production.url, { query: '{ __schema { types { name } } }' }, routerHeaders);
  expect(introspection.status).toBe(400);
  expect(codesOf(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(introspection.text).toMatch(/introspection/i);
  const service = await post(production.url, { query: '{ _service { sdl } }' }, routerHeaders);
  expect(service.status).toBe(200);
  expect(String((service.json?.data as { _service: { sdl: string } })._service.sdl)).toContain('type PocoOrder');
});

test('errors do not suggest field names in production', async () => {
  const typo = await post(production.url, { query: '{ pocoOrdr(id: "x") { id } }' }, routerHeaders);
  expect(typo.status).toBe(400);
  expect(typo.text).not.toMatch(/Did you mean/);
  expect(typo.text).not.toContain('pocoOrder');
});

test('with ROUTER_SHARED_SECRET, /graphql answers 401 without the header or with a wrong one; /health and /ready stay open', async () => {
  const none = await post(production.url, { query: '{ __typename }' });
  expect(none.status).toBe(401);
  expect(codesOf(none)).toEqual(['UNAUTHENTICATED']);
  const wrong = await post(production.url, { query: '{ __typename }' }, { 'x-router-secret': `${ROUTER_SECRET}x` });
  expect(wrong.status).toBe(401);
  const getWithout = await get(`${production.url}?query=${encodeURIComponent('{ __typename }')}`);
  expect(getWithout.status).toBe(401);
  const right = await post(production.url, { query: '{ __typename }' }, routerHeaders);
  expect(right.status).toBe(200);
  expect(right.json?.data).toEqual({ __typename: 'Query' });
  expect((await get(`${production.origin}/health`)).status).toBe(200);
  expect((await get(`${production.origin}/ready`)).status).toBe(200);
});

test('the secret comparison needs the exact value', () => {
  expect(hasRouterSecret('abc', 'abc')).toBe(true);
  expect(hasRouterSecret('abcd', 'abc')).toBe(false);
  expect(hasRouterSecret('', 'abc')).toBe(false);
  expect(hasRouterSecret(undefined, 'abc')).toBe(false);
  expect(hasRouterSecret(['abc', 'abc'], 'abc')).toBe(false);
});

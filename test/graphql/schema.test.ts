import { readFileSync } from 'node:fs';
import { buildSchema, subgraphTypeDefs, SCHEMA_PATH } from '../../src/graphql/schema';
import { resolvers } from '../../src/resolvers';
import { testDatabaseUri } from '../support/database';
import { postGraphql, startPlatformSubgraph, type PlatformSubgraph } from '../http/harness';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  CURSOR_SECRET: 'a-production-cursor-secret-of-40-characters',
  DOCUMENT_SECRET: 'a-production-document-secret-of-40-characters',
};

describe('the subgraph schema', () => {
  it('is schema.graphql with the federation fields added', () => {
    const schema = buildSchema(resolvers);
    expect(schema.getQueryType()?.getFields()).toHaveProperty('_service');
    expect(schema.getQueryType()?.getFields()).toHaveProperty('_entities');
    expect(schema.getType('PocoOrder')).toBeDefined();
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toContain('type PocoOrder @key(fields: "id")');
    expect(subgraphTypeDefs()).toBe(subgraphTypeDefs()); // parsed once
  });
});

describe('in production', () => {
  let subgraph: PlatformSubgraph;

  beforeAll(async () => {
    subgraph = await startPlatformSubgraph({ label: 'production', env: { ...PRODUCTION_ENV, MONGODB_URI: testDatabaseUri() } });
  });
  afterAll(async () => {
    await subgraph.close();
  });

  it('answers `_service { sdl }` without a token (routers compose with it)', async () => {
    const response = await postGraphql(subgraph.url, { query: '{ _service { sdl } }' });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const sdl: string = response.body.data._service.sdl;
    expect(sdl).toMatch(/type PocoOrder\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type User\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
  });

  it('refuses introspection', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "PocoOrder") { name } }']) {
      const response = await postGraphql(subgraph.url, { query });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.body.data).toBeUndefined();
    }
  });

  it('gives no field suggestions in validation errors', async () => {
    const response = await postGraphql(subgraph.url, { query: '{ pocoOrde(id: "1") { id } }' });
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors[0].message).not.toMatch(/Did you mean/);
  });

  it('serves no landing page to a browser', async () => {
    const response = await fetch(subgraph.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await response.text()).not.toMatch(/<html/i);
  });

  it('keeps CSRF prevention on', async () => {
    const response = await fetch(`${subgraph.url}?query=${encodeURIComponent('{ _service { sdl } }')}`);
    expect(response.status).toBe(400);
  });
});

// The same requests outside production: what production refuses is refused because of NODE_ENV.
describe('outside production', () => {
  let subgraph: PlatformSubgraph;

  beforeAll(async () => {
    subgraph = await startPlatformSubgraph({ label: 'development', env: { NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await subgraph.close();
  });

  it('allows introspection', async () => {
    const response = await postGraphql(subgraph.url, { query: '{ __type(name: "PocoOrder") { name } }' });
    expect(response.body).toEqual({ data: { __type: { name: 'PocoOrder' } } });
  });

  it('gives field suggestions in validation errors', async () => {
    const response = await postGraphql(subgraph.url, { query: '{ pocoOrde(id: "1") { id } }' });
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors[0].message).toMatch(/Did you mean "pocoOrder"/);
  });
});

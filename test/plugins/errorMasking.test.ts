import { MongoClient } from 'mongodb';
import { GraphQLError } from 'graphql';
import { badUserInput } from '../../src/errors';
import type { Resolvers } from '../../src/generated/resolvers';
import { isDatabaseUnavailable } from '../../src/plugins/errorMasking';
import { resolvers } from '../../src/resolvers';
import { postGraphql, startPlatformSubgraph, type PlatformSubgraph } from '../http/harness';

const DRIVER_SECRET = 'mongodb://admin:hunter2@db-7.internal:27017 collection orders exploded';

/** A client whose server is a closed port: every operation fails with the driver's real error. */
const unreachable = new MongoClient('mongodb://127.0.0.1:9/?directConnection=true', {
  serverSelectionTimeoutMS: 200,
  connectTimeoutMS: 200,
});

/** The real resolvers, with three root fields made to fail in known ways. */
const misbehaving: Resolvers = {
  ...resolvers,
  Query: {
    ...resolvers.Query,
    pocoOrder: () => {
      throw new Error(DRIVER_SECRET);
    },
    pocoOrderByNumber: async () => {
      await unreachable.db('x').collection('orders').findOne({});
      return null;
    },
    pocoCouponByCode: () => {
      throw badUserInput('`code` must not be empty.', 'code');
    },
  },
};

describe('error masking', () => {
  let subgraph: PlatformSubgraph;

  beforeAll(async () => {
    subgraph = await startPlatformSubgraph({ label: 'masking', resolvers: misbehaving });
  });
  afterAll(async () => {
    await subgraph.close();
    await unreachable.close();
  });

  it('masks an unexpected resolver error to INTERNAL_SERVER_ERROR with the request id, and logs the original under that id', async () => {
    const token = await subgraph.token('user-1');
    const response = await postGraphql(
      subgraph.url,
      { query: 'query Lookup { pocoOrder(id: "o-1") { id } _service { sdl } }' },
      { authorization: `Bearer ${token}`, 'x-request-id': 'req-masking-1' },
    );
    expect(response.status).toBe(200);
    // The rest of the response stands.
    expect(response.body.data._service.sdl).toContain('type PocoOrder');
    expect(response.body.data.pocoOrder).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    const [error] = response.body.errors;
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-masking-1' });
    expect(error.path).toEqual(['pocoOrder']);
    const raw = JSON.stringify(response.body);
    expect(raw).not.toContain('hunter2');
    expect(raw).not.toContain('exploded');
    expect(raw).not.toContain('stacktrace');
    expect(raw).not.toContain('query Lookup');

    const logged = subgraph.logLines.find((line) => line.requestId === 'req-masking-1' && line.code === 'INTERNAL_SERVER_ERROR');
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('exploded');
    expect(subgraph.logText()).not.toContain(token);
  });

  it('gives each of many concurrent requests its own request id', async () => {
    const token = await subgraph.token('user-1');
    const ids = Array.from({ length: 20 }, (_, index) => `req-concurrent-${index}`);
    const responses = await Promise.all(
      ids.map((id) =>
        postGraphql(subgraph.url, { query: '{ pocoOrder(id: "o-1") { id } }' }, { authorization: `Bearer ${token}`, 'x-request-id': id }),
      ),
    );
    expect(responses.map((response) => response.body.errors[0].extensions.requestId)).toEqual(ids);
  });

  it('maps a database that cannot be reached to SERVICE_UNAVAILABLE, without the driver message', async () => {
    const token = await subgraph.token('user-1');
    const response = await postGraphql(
      subgraph.url,
      { query: '{ pocoOrderByNumber(orderNumber: "PO-1") { id } }' },
      { authorization: `Bearer ${token}` },
    );
    const [error] = response.body.errors;
    expect(error.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.extensions.requestId).toBe(response.headers.get('x-request-id'));
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Server selection/i);
    expect(subgraph.logLines.some((line) => line.requestId === error.extensions.requestId && line.code === 'SERVICE_UNAVAILABLE')).toBe(true);
  });

  it('passes deliberate errors through unchanged (no request id, their own message and code)', async () => {
    const response = await postGraphql(subgraph.url, { query: '{ pocoCouponByCode(code: "") { id } }' });
    expect(response.body.errors).toEqual([
      {
        message: '`code` must not be empty.',
        locations: [{ line: 1, column: 3 }],
        path: ['pocoCouponByCode'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'code' },
      },
    ]);
  });

  it('keeps the codes of parse and validation errors', async () => {
    const parse = await postGraphql(subgraph.url, { query: '{ pocoOrder(id: ' });
    expect(parse.status).toBe(400);
    expect(parse.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const validation = await postGraphql(subgraph.url, { query: '{ pocoOrder(id: "1") { notAField } }' });
    expect(validation.status).toBe(400);
    expect(validation.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers UNAUTHENTICATED for a personal field without a token, with no trace of a stack', async () => {
    const response = await postGraphql(subgraph.url, {
      query: '{ _entities(representations: [{ __typename: "User", id: "user-1" }]) { ... on User { pocoAccounts { id } } } }',
    });
    expect(response.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises driver availability errors by name, also when wrapped, and server time-limit codes', () => {
    const selection = Object.assign(new Error('x'), { name: 'MongoServerSelectionError' });
    const maxTime = Object.assign(new Error('operation exceeded time limit'), { name: 'MongoServerError', code: 50 });
    const duplicate = Object.assign(new Error('E11000'), { name: 'MongoServerError', code: 11000 });
    expect(isDatabaseUnavailable(selection)).toBe(true);
    expect(isDatabaseUnavailable(new Error('loader failed', { cause: selection }))).toBe(true);
    expect(isDatabaseUnavailable(new GraphQLError('wrapped', { originalError: selection }))).toBe(true);
    expect(isDatabaseUnavailable(maxTime)).toBe(true);
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
  });
});

import { DEFAULT_REQUEST_LIMITS } from '../../src/limits/settings';
import { startLimitedServer, limitErrors, type LimitedServer } from './server';
import { FULL_ME_PAGE, startRouterHarness, type RouterHarness } from './routerTraffic';
import { requestLimitOptions } from '../../src/limits';

let limited: LimitedServer;
beforeAll(async () => {
  limited = await startLimitedServer();
});
afterAll(async () => {
  await limited.server.stop();
});

const entities = (selection: string) =>
  `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { ${selection} } } }`;
const user = { representations: [{ __typename: 'User', id: 'u1' }] };

/** A chain of `depth` fields: pocoOrders { nodes { account { orders { nodes { account ... } } } } } } */
function chain(depth: number): string {
  const names = ['pocoOrders', 'nodes', 'account', 'orders', 'nodes'];
  const cycle = ['account', 'orders', 'nodes'];
  const fields: string[] = [];
  for (let index = 0; index < depth - 1; index += 1) fields.push(index < names.length ? names[index]! : cycle[(index - names.length) % 3]!);
  // The innermost field must be a leaf of the last type: nodes -> PocoOrder, account -> PocoAccount, orders -> connection.
  const last = fields[fields.length - 1];
  const leaf = last === 'orders' || last === 'pocoOrders' ? 'totalCount' : 'id';
  return fields.reduceRight((inner, name) => `${name} { ${inner} }`, leaf);
}

describe('operation shape limits', () => {
  let router: RouterHarness;
  beforeAll(async () => {
    const options = requestLimitOptions(DEFAULT_REQUEST_LIMITS);
    router = await startRouterHarness({ ...options });
  });
  afterAll(async () => {
    await router.stop();
  });

  test("a router's _entities query for a full `me` page passes every limit, with first = 100", async () => {
    for (const variables of [{}, { first: 100, historyFirst: 100 }]) {
      const result = await router.run(FULL_ME_PAGE, variables);
      const sent = router.take();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.query).toContain('_entities');
      expect(limitErrors(sent[0]!.errors)).toEqual([]);
      expect(limitErrors(result.errors)).toEqual([]);
    }
  });

  test('depth counts fields, not the inline fragments routers wrap entities in: 15 fields pass, 16 fail', async () => {
    // _entities is level 1 and the inline fragment adds none, so the chain adds 14 more.
    const ok = await limited.run(entities(chain(14)), user);
    expect(limitErrors(ok.errors)).toEqual([]);
    const nestedFragments = await limited.run(
      `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { ... on User { ... { ${chain(14)} } } } } }`,
      user,
    );
    expect(limitErrors(nestedFragments.errors)).toEqual([]);

    const before = limited.executions();
    const tooDeep = await limited.run(entities(chain(15)), user);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors).toHaveLength(1);
    expect(tooDeep.errors[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' });
    expect(tooDeep.errors[0]!.message).toBe('Operation "Q" nests fields 16 deep; at most 15 levels are allowed.');
    expect(limited.executions()).toBe(before);
  });

  test('depth follows named fragments', async () => {
    const query = `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ...U } } fragment U on User { ${chain(15)} }`;
    const result = await limited.run(query, user);
    expect(result.errors.map((error) => error.extensions?.limit)).toEqual(['maxDepth']);
  });

  test('30 aliases pass, 31 fail, counting aliases inside fragments each time they are spread', async () => {
    const aliases = (count: number) => Array.from({ length: count }, (_, index) => `a${index}: id`).join(' ');
    expect(limitErrors((await limited.run(entities(`pocoAccounts { ${aliases(30)} }`), user)).errors)).toEqual([]);
    const flood = await limited.run(entities(`pocoAccounts { ${aliases(31)} }`), user);
    expect(flood.status).toBe(400);
    expect(flood.errors[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxAliases' });
    // 16 aliases in a fragment spread twice (in two different places) are 32.
    const spread = await limited.run(
      `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoAccounts { ...A } pocoOrders { nodes { account { ...A } } } } } }
       fragment A on PocoAccount { ${aliases(16)} }`,
      user,
    );
    expect(spread.errors.map((error) => error.extensions?.limit)).toEqual(['maxAliases']);
  });

  test('50 directives pass, 51 fail', async () => {
    const directives = (count: number) => Array.from({ length: count }, (_, index) => `f${index}: id @include(if: true)`).join(' ');
    const limits = { ...DEFAULT_REQUEST_LIMITS, maxAliases: 1000 };
    const roomy = await startLimitedServer(limits);
    try {
      expect(limitErrors((await roomy.run(entities(`pocoAccounts { ${directives(50)} }`), user)).errors)).toEqual([]);
      const flood = await roomy.run(entities(`pocoAccounts { ${directives(51)} }`), user);
      expect(flood.status).toBe(400);
      expect(flood.errors[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDirectives' });
    } finally {
      await roomy.server.stop();
    }
  });

  test('20 root fields pass, 21 fail', async () => {
    const roots = (count: number) => `{ ${Array.from({ length: count }, () => '_service { sdl }').join(' ')} }`;
    expect(limitErrors((await limited.run(roots(20))).errors)).toEqual([]);
    const flood = await limited.run(roots(21));
    expect(flood.status).toBe(400);
    expect(flood.errors[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxRootFields' });
  });

  test('a document whose fragments double at every level is measured at once and refused', async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, ...: expanded, 2^30 aliased fields.
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, index) =>
      index === levels - 1
        ? `fragment F${index} on PocoAccount { x: id }`
        : `fragment F${index} on PocoAccount { ...F${index + 1} ...F${index + 1} }`,
    ).join('\n');
    const started = Date.now();
    const result = await limited.run(
      `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { pocoAccounts { ...F0 } } } }\n${fragments}`,
      user,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.status).toBe(400);
    expect(result.errors.map((error) => error.extensions?.limit)).toContain('maxAliases');
  });

  test('a document over the token limit is a GRAPHQL_PARSE_FAILED 400 from the parser', async () => {
    const tokens = `{ ${'__typename '.repeat(DEFAULT_REQUEST_LIMITS.maxTokens)} }`;
    const result = await limited.run(tokens);
    expect(result.status).toBe(400);
    expect(result.errors[0]!.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(result.errors[0]!.message).toMatch(/Document contains more th[a-z]+ 3000 tokens/);
  });
});

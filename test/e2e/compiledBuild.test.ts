/**
 * The compiled production build (`npm run build`, then `node dist/src/main.js`):
 * the end-to-end gateway suite runs against it as its own process, it needs no
 * tsx and no TypeScript file at run time, and it answers exactly what
 * `npm start` (`node --import tsx src/main.ts`) answers.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signDevToken } from '../../src/auth/devToken';
import { PROJECT_ROOT } from '../../src/shared/projectRoot';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { writeFixture } from '../support/e2eFixtures';
import { pdfText } from '../support/pdf';
import { buildOnce, startSubgraphProcess, type SubgraphProcess, type SubgraphProcessKind } from '../support/subgraphProcess';
import { describeGatewaySuite } from './gatewaySuite';

beforeAll(() => buildOnce(), 300_000);

describe('the gateway suite against the compiled build (node dist/src/main.js)', () => {
  describeGatewaySuite('compiled');
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the compiled build', () => {
  it('is plain JavaScript that imports neither tsx nor a TypeScript file', () => {
    const scripts = filesUnder(join(PROJECT_ROOT, 'dist', 'src')).filter((file) => file.endsWith('.js'));
    expect(scripts.map((file) => file.slice(PROJECT_ROOT.length + 1))).toContain(join('dist', 'src', 'main.js'));
    const offending = scripts.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /(?:require\(|import\(|from )\s*["'](?:tsx(?:\/[^"']*)?|[^"']+\.tsx?)["']/.test(text);
    });
    expect(offending).toEqual([]);
  });
});

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

describe('node dist/src/main.js next to npm start (node --import tsx src/main.ts)', () => {
  let testDb: TestDatabase;
  const processes = new Map<SubgraphProcessKind, SubgraphProcess>();
  const idleRss = new Map<SubgraphProcessKind, number>();
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    testDb = await openTestDatabase('compiled_vs_tsx');
    await writeFixture(testDb.db);
    const env = { NODE_ENV: 'test', MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: secret, LOG_LEVEL: 'warn' };
    // One after the other, so that neither start-up competes with the other for the CPU.
    for (const kind of ['tsx', 'compiled'] as const) processes.set(kind, await startSubgraphProcess(kind, { env }));
    // Idle: started and ready, no request served yet (a proof of purchase below starts worker threads).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const [kind, subgraph] of processes) idleRss.set(kind, subgraph.rssBytes());
  }, 120_000);

  afterAll(async () => {
    for (const subgraph of processes.values()) await subgraph.stop();
    await testDb?.drop();
  });

  async function ask(subgraph: SubgraphProcess, request: { path?: string; body?: string; token?: string }, requestId: string): Promise<Answer> {
    const response = await fetch(new URL(request.path ?? '/graphql', subgraph.origin), {
      method: request.body === undefined ? 'GET' : 'POST',
      headers: {
        'x-request-id': requestId,
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(request.token !== undefined ? { authorization: `Bearer ${request.token}` } : {}),
      },
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  it('answers the same queries with the same status and the same bytes', async () => {
    const user = await signDevToken({ sub: 'demo-user-1', scopes: [], secret, expiresIn: '1h' });
    const support = await signDevToken({ sub: 'support-agent-1', scopes: ['poco:support'], secret, expiresIn: '1h' });
    const graphql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
    const ME_FIELDS = /* GraphQL */ `
      pocoOrders(first: 2) { totalCount edges { cursor node { id } } nodes { orderNumber placedAt status total { amount currencyCode } lineItems { productName } } pageInfo { hasNextPage endCursor } }
      pocoPoints { balance transfers { xiaomiPoints } }
      pocoCoupons { code status reissue { xiaomiCouponCode } }
      pocoAccounts { id store }`;
    const requests: Record<string, { path?: string; body?: string; token?: string }> = {
      mePageAsTheUser: {
        body: graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id ${ME_FIELDS} } } }`, {
          r: [{ __typename: 'User', id: 'demo-user-1' }],
        }),
        token: user,
      },
      usersForSupport: {
        body: graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id ${ME_FIELDS} } } }`, {
          r: ['demo-user-1', 'demo-user-2', 'xiaomi-user-without-poco'].map((id) => ({ __typename: 'User', id })),
        }),
        token: support,
      },
      orderReferences: {
        body: graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on PocoOrder { id orderNumber store total { amount currencyCode } } } }`, {
          r: ['ord-uk-1', 'ord-fr-2', 'ord-nope', 'ord-de-2'].map((id) => ({ __typename: 'PocoOrder', id })),
        }),
        token: support,
      },
      accountsByEmail: {
        body: graphql(`query ($e: String!) { pocoAccountsByEmail(email: $e) { id store user { id } orders { nodes { orderNumber } } } }`, { e: 'ghost@example.com' }),
        token: support,
      },
      badCursor: {
        body: graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { pocoOrders(first: 2, after: "nope") { totalCount } } } }`, {
          r: [{ __typename: 'User', id: 'demo-user-1' }],
        }),
        token: user,
      },
      noToken: {
        body: graphql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { pocoOrders { totalCount } } } }`, {
          r: [{ __typename: 'User', id: 'demo-user-1' }],
        }),
      },
      serviceSdl: { body: graphql('{ _service { sdl } }') },
      invalidQuery: { body: graphql('{ nope }') },
      tooLarge: { body: graphql('{ __typename }', { padding: 'x'.repeat(2 * 1024 * 1024) }) },
      health: { path: '/health' },
      ready: { path: '/ready' },
    };
    const compiled = processes.get('compiled') as SubgraphProcess;
    const tsx = processes.get('tsx') as SubgraphProcess;
    const answers: Record<string, { compiled: Answer; tsx: Answer }> = {};
    for (const [name, request] of Object.entries(requests)) {
      answers[name] = { compiled: await ask(compiled, request, `same-${name}`), tsx: await ask(tsx, request, `same-${name}`) };
    }
    for (const [name, { compiled: fromCompiled, tsx: fromTsx }] of Object.entries(answers)) {
      expect({ name, ...fromCompiled }).toEqual({ name, ...fromTsx });
    }
    // The answers compared are real ones, not two identical failures.
    expect(answers.mePageAsTheUser?.compiled.status).toBe(200);
    expect(JSON.parse(answers.mePageAsTheUser?.compiled.body ?? '{}')).toMatchObject({
      data: { _entities: [{ id: 'demo-user-1', pocoOrders: { totalCount: 3 } }] },
    });
    expect(answers.mePageAsTheUser?.compiled.body).not.toContain('"errors"');
    expect(answers.orderReferences?.compiled.body).toContain('UK-2001');
    expect(answers.badCursor?.compiled.body).toContain('BAD_USER_INPUT');
    expect(answers.tooLarge?.compiled.status).toBe(413);
  });

  it('renders the same proof of purchase (its PDF worker thread runs compiled JavaScript)', async () => {
    const owner = await signDevToken({ sub: 'demo-user-1', scopes: [], secret, expiresIn: '1h' });
    const texts: string[] = [];
    for (const kind of ['compiled', 'tsx'] as const) {
      const subgraph = processes.get(kind) as SubgraphProcess;
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
        body: JSON.stringify({ query: 'query ($id: ID!) { pocoOrder(id: $id) { proofOfPurchase { url contentType } } }', variables: { id: 'ord-uk-1' } }),
      });
      const link = ((await response.json()) as { data?: { pocoOrder?: { proofOfPurchase?: { url: string; contentType: string } } } }).data?.pocoOrder
        ?.proofOfPurchase;
      expect(link?.contentType).toBe('application/pdf');
      // The link's own token, opened on this process (the links of a PORT=0 process name the port it asked for).
      const pdf = await fetch(new URL(new URL(link?.url ?? '/').pathname, subgraph.origin));
      expect({ kind, status: pdf.status, type: pdf.headers.get('content-type') }).toEqual({ kind, status: 200, type: 'application/pdf' });
      const body = Buffer.from(await pdf.arrayBuffer());
      expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      texts.push(pdfText(body));
    }
    expect(texts[0]).toContain('UK-2001');
    expect(texts[0]).toEqual(texts[1]);
  });

  it('reports start-up time and idle RSS of both', () => {
    const figures = [...processes.values()].map(
      (subgraph) =>
        `${subgraph.kind === 'compiled' ? 'node dist/src/main.js' : 'node --import tsx src/main.ts'}: start-up ${Math.round(subgraph.startupMs)} ms, idle RSS ${((idleRss.get(subgraph.kind) ?? 0) / 1024 / 1024).toFixed(1)} MB`,
    );
    console.log(`[figures] spawn to /ready 200 and idle RSS: ${figures.join('; ')}`);
    expect([...idleRss.keys()].sort()).toEqual(['compiled', 'tsx']);
  });
});

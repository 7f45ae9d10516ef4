/**
 * The subgraph's GraphQL IDE over HTTP: a browser asking /graphql for HTML
 * outside production gets GraphiQL's page, whose every file is served by the
 * subgraph itself; GraphQL requests are answered as before (CSRF prevention
 * included); production serves neither page nor files.
 */
import { testDatabaseUri } from '../support/database';
import { postGraphql, startPlatformSubgraph, type PlatformSubgraph } from '../http/harness';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  CURSOR_SECRET: 'a-production-cursor-secret-of-40-characters',
  DOCUMENT_SECRET: 'a-production-document-secret-of-40-characters',
};
/** The first request may build the bundle (seconds, more on a loaded machine). */
const BUILD_TIMEOUT_MS = 180_000;

function origin(url: string): string {
  return new URL(url).origin;
}

describe('outside production', () => {
  let subgraph: PlatformSubgraph;
  let html: string;

  beforeAll(async () => {
    subgraph = await startPlatformSubgraph({ label: 'ide', env: { NODE_ENV: 'development' } });
    const page = await fetch(subgraph.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    html = await page.text();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await subgraph?.close();
  });

  it('serves GraphiQL to a browser at /graphql, posting back to /graphql', () => {
    expect(html).toContain('<div id="graphiql">');
    const config = JSON.parse(/<script id="graphql-ide-config" type="application\/json">(.*?)<\/script>/.exec(html)?.[1] ?? 'null');
    expect(config).toEqual({ endpoint: '/graphql', assetBase: '/graphql-ide' });
  });

  it('names only files of its own origin, under a policy that allows nothing else', async () => {
    const references = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
    expect(references).toEqual(['data:,', '/graphql-ide/graphiql-ide.css', '/graphql-ide/graphiql-ide.js']);
    expect(html).toContain(`content="default-src 'self'; script-src 'self';`);
    for (const reference of references.filter((ref) => ref.startsWith('/'))) {
      const response = await fetch(new URL(reference, subgraph.url));
      expect([reference, response.status]).toEqual([reference, 200]);
      expect(response.headers.get('content-type')).toMatch(reference.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      const body = await response.text();
      expect(body.length).toBeGreaterThan(1000);
      if (reference.endsWith('.css')) {
        // Fonts and images come from this origin or are inlined.
        const urls = [...body.matchAll(/url\(\s*["']?([^"')]+)/g)].map((match) => match[1]!);
        expect(urls.filter((url) => !url.startsWith('data:') && !/^\.?\/?[\w.-]+$/.test(url))).toEqual([]);
      }
    }
  });

  it("serves Monaco's workers and refuses names outside the bundle", async () => {
    for (const worker of ['editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const response = await fetch(new URL(`/graphql-ide/${worker}`, subgraph.url));
      expect([worker, response.status]).toEqual([worker, 200]);
    }
    for (const path of ['/graphql-ide/nothing.js', '/graphql-ide/..%2Fpackage.json', '/graphql-ide/.complete', '/graphql-ide/']) {
      const response = await fetch(new URL(path, subgraph.url));
      expect([path, response.status]).toEqual([path, 404]);
    }
    const post = await fetch(new URL('/graphql-ide/graphiql-ide.js', subgraph.url), { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('answers GraphQL as before: JSON POSTs like the IDE sends, and CSRF prevention for the rest', async () => {
    const response = await postGraphql(subgraph.url, { query: '{ __typename }' });
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
    // A GET a browser could send cross-site (no JSON content type, no preflight header) is refused.
    const simple = await fetch(`${subgraph.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(simple.status).toBe(400);
    expect(origin(subgraph.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('in production', () => {
  let subgraph: PlatformSubgraph;

  beforeAll(async () => {
    subgraph = await startPlatformSubgraph({ label: 'ide_production', env: { ...PRODUCTION_ENV, MONGODB_URI: testDatabaseUri() } });
  });
  afterAll(async () => {
    await subgraph?.close();
  });

  it('serves no IDE page and none of its files', async () => {
    const page = await fetch(subgraph.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await page.text()).not.toContain('graphiql');
    const script = await fetch(new URL('/graphql-ide/graphiql-ide.js', subgraph.url));
    expect(script.status).toBe(404);
  });
});

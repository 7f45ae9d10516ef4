/**
 * The demo gateway's GraphQL IDE in a real browser (Debian's Chromium driven
 * by playwright-core, installed by .ci/run): the page opens with the merged
 * `me` query and the demo user's token, runs it, shows the merged answer in
 * its result pane and its schema in the docs explorer, and every request it
 * makes stays on this machine. Screenshots go to test-output/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig } from '../../src/config';
import { EXAMPLE_QUERY, startDemo, type RunningDemo } from '../../src/demo/startDemo';
import { seedDemoData } from '../../src/seed/demo';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { postGraphQL } from '../support/e2eStack';

/** Debian's package (apt-get install chromium); CHROMIUM_PATH points elsewhere on other systems. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUTPUT_DIR = resolve(__dirname, '..', '..', 'test-output');
const MERGED_ME_SCREENSHOT = join(OUTPUT_DIR, 'ide-merged-me.png');
const DOCS_SCREENSHOT = join(OUTPUT_DIR, 'ide-docs-explorer.png');
/** A loaded 2-core machine: the first page load may also build the IDE bundle (seconds). */
const STEP_TIMEOUT_MS = 90_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

let testDb: TestDatabase;
let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const consoleProblems: string[] = [];
const secret = 'browser-test-secret-of-more-than-32-characters';

beforeAll(async () => {
  testDb = await openTestDatabase('ide_browser');
  await seedDemoData(testDb.db, { users: 6 });
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: testDb.uri,
    MONGODB_DB: testDb.name,
    PORT: '0',
    JWT_SECRET: secret,
    LOG_LEVEL: 'silent',
  });
  demo = await startDemo({ config, db: testDb.db, gatewayPort: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in CI has no user namespace sandbox; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    timeout: STEP_TIMEOUT_MS,
  });
  context = await browser.newContext({ viewport: { width: 1400, height: 1400 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  // Every request of the page, its workers and any popup: none may leave the machine.
  context.on('request', (request) => requested.push(request.url()));
  context.on('response', (response) => {
    if (response.status() >= 400) consoleProblems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleProblems.push(message.text());
  });
  page.on('pageerror', (error) => consoleProblems.push(String(error)));
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await demo?.close();
  await testDb?.drop();
});

/** The text Monaco shows in an editor (its rendered lines, top to bottom, with ordinary spaces). */
async function editorText(selector: string): Promise<string> {
  // A function, not a string: the page's CSP (script-src 'self') forbids evaluating strings in it.
  const lines = await page
    .locator(`${selector} .view-line`)
    .evaluateAll((elements: any[]) => elements.map((line) => ({ top: parseFloat(line.style.top || '0'), text: String(line.textContent ?? '') }))); // eslint-disable-line @typescript-eslint/no-explicit-any
  return lines
    .sort((x, y) => x.top - y.top)
    .map((line) => line.text.replace(/\u00a0/g, ' '))
    .join('\n');
}

/** Waits until the element's text contains `text`. */
async function waitForText(selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor({ state: 'attached' });
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  // data: and blob: URLs are made inside the page; they reach no host.
  return parsed.protocol === 'data:' || parsed.protocol === 'blob:' ? parsed.protocol : parsed.host.replace(/:\d+$/, '');
}

describe("the demo gateway's GraphQL IDE in Chromium", () => {
  it('runs the merged `me` query with the demo token it starts with and shows the answer of both subgraphs', async () => {
    const started = Date.now();
    await page.goto(demo.gateway.url, { waitUntil: 'load' });
    // The operation editor holds the example query, the headers editor demo-user-1's token.
    await waitForText('.graphiql-query-editor', 'pocoOrders');
    const headers = await editorText('.graphiql-editor-tool');
    expect(headers).toMatch(/"Authorization": "Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+"/);
    const loadedMs = Date.now() - started;

    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().postData()?.includes('pocoOrders') === true);
    await page.click('.graphiql-execute-button');
    const response = await answered;
    expect(response.status()).toBe(200);
    await waitForText('.result-window', 'totalCount');
    const resultPane = await editorText('.result-window');

    // The oracle: the same query, sent by the test itself with its own demo-user-1 token.
    const expected = await postGraphQL(demo.gateway.url, EXAMPLE_QUERY, { token: await signDevToken({ sub: 'demo-user-1', secret }) });
    expect(expected.errors).toBeUndefined();
    const me = expected.data?.['me'];
    expect(me.name).toBe('Alex Demo'); // from the accounts subgraph
    expect(resultPane).toContain('"me": {');
    expect(resultPane).toContain(`"name": "${me.name}"`);
    // ... and from ours, in the same answer.
    expect(resultPane).toContain(`"totalCount": ${me.pocoOrders.totalCount}`);
    expect(resultPane).toContain(`"orderNumber": "${me.pocoOrders.nodes[0].orderNumber}"`);
    expect(resultPane).not.toContain('"errors"');
    // The pane shows what the gateway answered the page, and that is the oracle's answer.
    expect((await response.json()).data).toEqual(expected.data);

    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: MERGED_ME_SCREENSHOT });
    console.log(`[figures] ide page ready in ${loadedMs} ms, merged me query answered in ${Date.now() - started - loadedMs} ms; screenshot ${MERGED_ME_SCREENSHOT}`);
  }, 240_000);

  it('browses the schema documentation in the docs explorer', async () => {
    await page.click('[aria-label="Show Documentation Explorer"]');
    await waitForText('.graphiql-doc-explorer', 'Query');
    await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name:text-is("Query")');
    await waitForText('.graphiql-doc-explorer', 'pocoOrderByNumber');
    // A description written for frontend engineers is shown with the field.
    const docs = await page.textContent('.graphiql-doc-explorer');
    expect(docs).toContain('pocoOrderByNumber');
    expect(docs).toContain('pocoCouponByCode');
    await page.screenshot({ path: DOCS_SCREENSHOT });
  }, 240_000);

  it('made every request to 127.0.0.1, loaded nothing refused by its security policy and logged no script error', () => {
    // The page itself, its script, styles, the workers and the GraphQL requests at least.
    expect(requested.length).toBeGreaterThanOrEqual(5);
    const hosts = [...new Set(requested.map(hostOf))];
    console.log(`[figures] ide requests: ${requested.length} to hosts ${hosts.join(', ')}`);
    const away = requested.filter((url) => !LOCAL_HOSTS.has(hostOf(url)) && !['data:', 'blob:'].includes(hostOf(url)));
    expect(away).toEqual([]);
    expect(requested.some((url) => url.endsWith('.worker.js'))).toBe(true);
    expect(consoleProblems).toEqual([]);
  });
});

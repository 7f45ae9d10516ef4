/**
 * docs/api-guide.md cannot drift from the API: every ```graphql block of the
 * guide runs, in the guide's order, through the demo gateway on the demo data
 * of `npm run demo` (same generator, seed and size), as the caller the block
 * names, and its answer must contain the guide's excerpt. A block the reader
 * sees but the test would not run fails the count test.
 *
 * Writing an example: put the block in the guide with `<!-- example as=... -->`
 * and an empty excerpt (```json answer / {}), run
 * `GUIDE_PRINT=1 npx jest test/docs/apiGuide.test.ts`, and copy the part of
 * the printed answer the reader needs into the excerpt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig } from '../../src/config';
import { startDemo, type RunningDemo } from '../../src/demo/startDemo';
import { DEMO_DATA_USERS } from '../../src/main';
import { seedDemoData } from '../../src/seed/demo';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { postGraphQL } from '../support/e2eStack';
import { countGraphqlFences, excerptMismatches, parseGuide, resolveVariables, type Caller, type GuideExample } from './guideExamples';

const GUIDE_PATH = join(__dirname, '..', '..', 'docs', 'api-guide.md');
const guide = readFileSync(GUIDE_PATH, 'utf8');
const examples = parseGuide(guide);
const PRINT = process.env['GUIDE_PRINT'] === '1';

let testDb: TestDatabase;
let demo: RunningDemo;
const secret = randomBytes(32).toString('hex');
const ran = new Set<number>();
/** Each example's answer, for the `<previous: ...>` variables of the next. */
let previousAnswer: unknown;

async function tokenFor(caller: Caller): Promise<string | undefined> {
  switch (caller.kind) {
    case 'user':
      return signDevToken({ sub: caller.sub, secret });
    case 'support':
      return signDevToken({ sub: 'demo-support-agent', scopes: ['poco:support'], secret });
    case 'privacy':
      return signDevToken({ sub: 'demo-privacy-officer', scopes: ['poco:privacy'], secret });
    case 'anonymous':
      return undefined;
    default: {
      const unreachable: never = caller;
      throw new Error(`unknown caller ${JSON.stringify(unreachable)}`);
    }
  }
}

function title(example: GuideExample): string {
  return `${example.section}${example.heading ? ` / ${example.heading}` : ''} (docs/api-guide.md line ${example.line})`;
}

describe('the guide', () => {
  it('has a run for every graphql block it shows', () => {
    expect(examples.length).toBe(countGraphqlFences(guide));
    expect(examples.length).toBeGreaterThan(0);
  });
});

describe('the excerpt check', () => {
  it('accepts a part of the answer and names each difference', () => {
    const answer = { data: { list: [{ id: '1', n: 2 }, { id: '2', n: 3 }], url: 'http://x/documents/abc', none: null } };
    expect(excerptMismatches(answer, { data: { list: [{ id: '1' }], url: 'http://x/documents/…', none: null } })).toEqual([]);
    expect(excerptMismatches(answer, { data: { list: [{ id: '2' }] } })).toEqual(['$.data.list[0].id: expected "2", got "1"']);
    expect(excerptMismatches(answer, { data: { list: [{}, {}, {}] } })).toEqual(['$.data.list: expected at least 3 elements, got 2']);
    expect(excerptMismatches(answer, { data: { missing: 1, none: '…' } })).toEqual(['$.data.missing: missing', '$.data.none: expected a value, got null']);
  });
});

describe('docs/api-guide.md examples, run on the demo data through the demo gateway', () => {
  beforeAll(async () => {
    testDb = await openTestDatabase('api_guide');
    // The demo data of `npm start` / `npm run demo`, so the excerpts are what a reader sees there.
    await seedDemoData(testDb.db, { users: DEMO_DATA_USERS });
    const config = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: testDb.uri,
      MONGODB_DB: testDb.name,
      PORT: '0',
      JWT_SECRET: secret,
      LOG_LEVEL: 'silent',
    });
    demo = await startDemo({ config, db: testDb.db, gatewayPort: 0 });
  }, 240_000);

  afterAll(async () => {
    await demo?.close();
    await testDb?.drop();
  });

  it.each(examples.map((example) => [title(example), example] as const))('%s', async (_title, example) => {
    const token = await tokenFor(example.caller);
    const response = await postGraphQL(demo.gateway.url, example.query, {
      ...(token !== undefined ? { token } : {}),
      ...(example.variables !== undefined ? { variables: resolveVariables(example.variables, previousAnswer) } : {}),
    });
    previousAnswer = response;
    if (PRINT) console.log(`${title(example)}\n${JSON.stringify(response, null, 2)}`);
    expect(excerptMismatches(response, example.answer)).toEqual([]);
    ran.add(example.line);
  });

  it('ran every example of the guide', () => {
    expect([...ran].sort((a, b) => a - b)).toEqual(examples.map((example) => example.line));
    console.log(`[figures] api guide: ${ran.size} graphql examples executed against the demo data`);
  });
});

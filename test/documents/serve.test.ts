/**
 * GET /documents/<token> through the real HTTP server, with test-only document
 * kinds over the real database: the mechanism both issue 10 (proof of purchase)
 * and issue 11 (personal data export) register on.
 */
import { Readable } from 'node:stream';
import { canRead } from '../../src/auth/policy';
import type { AccountDoc } from '../../src/db/documents';
import { defineDocumentKind } from '../../src/documents/kind';
import { DOCUMENT_LINK_TTL_MS } from '../../src/documents/links';
import { createDocumentTokenCodec, type DocumentClaims } from '../../src/documents/token';
import { account } from '../resolvers/fixtures';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { get, startHttpSubgraph, type HttpSubgraph } from '../limits/http';

const DOCUMENT_SECRET = 'serve-test-document-secret-of-32-characters';
const START = new Date('2025-06-01T10:00:00.000Z');

/** A JSON card of a POCO account, readable by whoever may read the account. */
const accountCard = defineDocumentKind<AccountDoc>({
  name: 'testAccountCard',
  contentType: 'application/json',
  load: (context, id) => context.loaders.accounts.byId.load(id),
  mayRead: (context, doc) => canRead(context.viewer, doc.xiaomiUserId),
  fileName: (doc) => `account-${doc._id}.json`,
  render: (_context, doc) => JSON.stringify({ id: doc._id, store: doc.store, displayName: doc.displayName }),
});

/** The same as a stream, in three chunks. */
const streamedCard = defineDocumentKind<AccountDoc>({
  name: 'testStreamedCard',
  contentType: 'application/pdf',
  load: (context, id) => context.loaders.accounts.byId.load(id),
  mayRead: (context, doc) => canRead(context.viewer, doc.xiaomiUserId),
  fileName: (doc) => `card "${doc._id}"/..\\.pdf`,
  render: () => Readable.from([Buffer.from('%PDF-'), Buffer.from('test'), Buffer.from('\n%%EOF\n')]),
});

const broken = defineDocumentKind<AccountDoc>({
  name: 'testBroken',
  contentType: 'application/json',
  load: (context, id) => context.loaders.accounts.byId.load(id),
  mayRead: () => true,
  fileName: () => 'broken.json',
  render: () => {
    throw new Error('renderer bug');
  },
});

describe('GET /documents/<token>', () => {
  let testDb: TestDatabase;
  let subgraph: HttpSubgraph;
  let now = START;
  const codec = createDocumentTokenCodec(DOCUMENT_SECRET);

  const token = (overrides: Partial<DocumentClaims> = {}): string =>
    codec.seal({
      kind: 'testAccountCard',
      subject: 'ACC-1',
      sub: 'user-1',
      scopes: [],
      expiresAt: new Date(now.getTime() + DOCUMENT_LINK_TTL_MS),
      ...overrides,
    });
  const open = (value: string, headers: Record<string, string> = {}) => get(`${subgraph.origin}/documents/${value}`, headers);

  beforeAll(async () => {
    testDb = await openTestDatabase('documents-serve');
    await testDb.db.collection<AccountDoc>('accounts').insertMany([
      account('ACC-1', { xiaomiUserId: 'user-1', displayName: 'Zoé Łódź', store: 'PL' }),
      account('ACC-2', { xiaomiUserId: null }),
    ]);
    subgraph = await startHttpSubgraph({
      db: testDb.db,
      env: { DOCUMENT_SECRET, PUBLIC_BASE_URL: 'https://poco.example.test/' },
      clock: () => now,
      documentKinds: [accountCard, streamedCard, broken],
    });
  });
  afterAll(async () => {
    await subgraph?.close();
    await testDb?.drop();
  });
  beforeEach(() => {
    now = START;
  });

  it('serves the document without any Authorization header, with private no-store caching, type and file name', async () => {
    const response = await open(token());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="account-ACC-1.json"');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(JSON.parse(response.text)).toEqual({ id: 'ACC-1', store: 'PL', displayName: 'Zoé Łódź' });
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(response.text));
  });

  it('ignores an Authorization header of someone else: the viewer is the one named in the link', async () => {
    const otherUsersToken = await subgraph.token('user-2');
    expect((await open(token(), { authorization: `Bearer ${otherUsersToken}` })).status).toBe(200);
    expect((await open(token({ sub: 'user-2' }))).status).toBe(404);
  });

  it('streams a document that a kind renders as a stream, with a sanitised file name', async () => {
    const response = await open(token({ kind: 'testStreamedCard' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="card__ACC-1__.._.pdf"');
    expect(response.text).toBe('%PDF-test\n%%EOF\n');
  });

  it('answers 404 for a tampered, foreign or malformed token, or a kind that is not registered, always no-store', async () => {
    const good = token();
    const flipped = good.slice(0, 10) + (good[10] === 'A' ? 'B' : 'A') + good.slice(11);
    const foreign = createDocumentTokenCodec('another-document-secret-of-32-characters').seal({
      kind: 'testAccountCard', subject: 'ACC-1', sub: 'user-1', scopes: [], expiresAt: new Date(now.getTime() + 60_000),
    });
    for (const bad of [flipped, foreign, 'nonsense', `${good}/extra`, '%00', token({ kind: 'proofOfNothing' })]) {
      const response = await open(bad);
      expect(response.status).toBe(404);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.text).not.toContain('ACC-1');
    }
    const empty = await get(`${subgraph.origin}/documents/`);
    expect(empty.status).toBe(404);
  });

  it('answers 410 once the link has expired by the service clock, and 200 until then', async () => {
    const link = token();
    now = new Date(START.getTime() + DOCUMENT_LINK_TTL_MS - 1);
    expect((await open(link)).status).toBe(200);
    now = new Date(START.getTime() + DOCUMENT_LINK_TTL_MS);
    const expired = await open(link);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('cache-control')).toBe('private, no-store');
    expect(expired.json?.errors?.[0]?.extensions?.code).toBe('LINK_EXPIRED');
    expect(expired.text).not.toContain('ACC-1');
  });

  it('a tampered expired token is 404, not 410: nothing about it is believed', async () => {
    const link = token({ expiresAt: new Date(START.getTime() - 1000) });
    expect((await open(link)).status).toBe(410);
    const tampered = link.slice(0, 5) + (link[5] === 'A' ? 'B' : 'A') + link.slice(6);
    expect((await open(tampered)).status).toBe(404);
  });

  it('re-authorises at open time: a link stops working when its viewer may no longer read the subject', async () => {
    const link = token();
    expect((await open(link)).status).toBe(200);
    await testDb.db.collection<AccountDoc>('accounts').updateOne({ _id: 'ACC-1' }, { $set: { xiaomiUserId: 'user-9' } });
    try {
      expect((await open(link)).status).toBe(404);
    } finally {
      await testDb.db.collection<AccountDoc>('accounts').updateOne({ _id: 'ACC-1' }, { $set: { xiaomiUserId: 'user-1' } });
    }
  });

  it('makes the document from the data as it is when opened', async () => {
    const link = token();
    await testDb.db.collection<AccountDoc>('accounts').updateOne({ _id: 'ACC-1' }, { $set: { displayName: null } });
    try {
      expect(JSON.parse((await open(link)).text)).toEqual({ id: 'ACC-1', store: 'PL', displayName: null });
    } finally {
      await testDb.db.collection<AccountDoc>('accounts').updateOne({ _id: 'ACC-1' }, { $set: { displayName: 'Zoé Łódź' } });
    }
  });

  it('uses the scopes sealed in the link: support reads an unlinked account, a plain user does not', async () => {
    expect((await open(token({ subject: 'ACC-2', sub: 'agent-1', scopes: ['poco:support'] }))).status).toBe(200);
    expect((await open(token({ subject: 'ACC-2', sub: 'agent-1', scopes: [] }))).status).toBe(404);
    expect((await open(token({ subject: 'ACC-404', sub: 'agent-1', scopes: ['poco:support'] }))).status).toBe(404);
  });

  it('answers 500 with a request id when a kind fails, and keeps serving', async () => {
    const response = await open(token({ kind: 'testBroken' }));
    expect(response.status).toBe(500);
    expect(response.json?.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.text).not.toContain('renderer bug');
    expect((await open(token())).status).toBe(200);
  });

  it('refuses other methods', async () => {
    const response = await fetch(`${subgraph.origin}/documents/${token()}`, { method: 'POST' });
    expect(response.status).toBe(405);
  });

  it('counts downloads by kind and outcome and times the rendering, and logs neither tokens nor subjects', async () => {
    const link = token();
    await open(link);
    await open('garbage');
    const metrics = await (await fetch(`${subgraph.origin}/metrics`)).text();
    expect(metrics).toMatch(/poco_document_downloads_total\{kind="testAccountCard",outcome="served"\} [1-9]/);
    expect(metrics).toMatch(/poco_document_downloads_total\{kind="unknown",outcome="not_found"\} [1-9]/);
    expect(metrics).toMatch(/poco_document_render_duration_seconds_count\{kind="testAccountCard"\} [1-9]/);
    const lines = subgraph.logLines.filter((line) => line.msg === 'document request');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.kind === 'testAccountCard' && line.outcome === 'served' && line.status === 200)).toBe(true);
    const log = subgraph.logText();
    expect(log).not.toContain(link);
    expect(log).not.toContain('ACC-1');
    expect(log).not.toContain('user-1');
    expect(log).not.toContain('Łódź');
  });
});

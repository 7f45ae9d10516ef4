import { collectionsOf } from '../../src/db/collections';
import { createAuthenticator } from '../../src/auth/viewer';
import { signDevToken } from '../../src/auth/devToken';
import { loadConfig } from '../../src/config';
import { createContextFactory } from '../../src/graphql/createContext';
import { createDocumentLinkIssuer } from '../../src/documents/links';
import { createDocumentTokenCodec } from '../../src/documents/token';
import { openTestDatabase, type TestDatabase } from '../support/database';

const SECRET = 'context-test-secret-of-32-characters!';

describe('createContextFactory', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase('context');
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const factory = () =>
    createContextFactory({
      authenticator: createAuthenticator(loadConfig({ JWT_SECRET: SECRET }).jwt),
      collections: collectionsOf(testDb.db),
      cursorSecret: 'cursor-secret-of-at-least-32-characters',
      documents: createDocumentLinkIssuer(createDocumentTokenCodec('document-secret-of-at-least-32-characters'), () => 'http://poco.test'),
      warrantyMonths: loadConfig({}).warrantyMonths,
    });

  it('builds the request id, the clock, the viewer and fresh loaders for each request', async () => {
    const createContext = factory();
    const token = await signDevToken({ sub: 'user-7', scopes: ['poco:support'], secret: SECRET });
    const before = Date.now();
    const first = await createContext({ requestId: 'r-1', authorization: `Bearer ${token}` });
    const second = await createContext({ requestId: 'r-2', authorization: undefined });
    expect(first.requestId).toBe('r-1');
    expect(first.now.getTime()).toBeGreaterThanOrEqual(before);
    expect(first.now.getTime()).toBeLessThanOrEqual(Date.now());
    expect(first.viewer).toMatchObject({ kind: 'user', userId: 'user-7', isSupport: true });
    expect(second.viewer).toEqual({ kind: 'anonymous', reason: 'missing' });
    expect(first.cursorSecret).toBe('cursor-secret-of-at-least-32-characters');
    expect(first.loaders).toBeDefined();
    expect(first.loaders).not.toBe(second.loaders);
  });

  it('makes an invalid token an anonymous "invalid" viewer instead of failing the request', async () => {
    const context = await factory()({ requestId: 'r-3', authorization: 'Bearer not.a.token' });
    expect(context.viewer).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });
});

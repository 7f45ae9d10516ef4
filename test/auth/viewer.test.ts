import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWK } from 'jose';
import { loadConfig } from '../../src/config';
import { createAuthenticator, scopesOf } from '../../src/auth/viewer';
import { signDevToken } from '../../src/auth/devToken';

const SECRET = 'test-secret-with-at-least-32-characters';

function authenticatorFor(env: NodeJS.ProcessEnv) {
  return createAuthenticator(loadConfig(env).jwt);
}

function pemOf(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

async function signWith(alg: 'RS256' | 'ES256', privateKey: KeyObject, claims: Record<string, unknown> = {}, kid?: string) {
  return new SignJWT({ scope: 'openid', ...claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject('user-42')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

/** A header + payload with `alg: none` and an empty signature. */
function unsignedToken(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

describe('viewerFromAuthorizationHeader with HS256 (JWT_SECRET)', () => {
  const auth = authenticatorFor({ JWT_SECRET: SECRET });

  it('makes a user viewer from a valid token, with its scopes and the support flag', async () => {
    const token = await signDevToken({ sub: 'user-1', scopes: ['openid', 'poco:support'], secret: SECRET });
    const viewer = await auth.viewerFromAuthorizationHeader(`Bearer ${token}`);
    expect(viewer).toEqual({ kind: 'user', userId: 'user-1', scopes: new Set(['openid', 'poco:support']), isSupport: true });
  });

  it('is not support without the poco:support scope', async () => {
    const token = await signDevToken({ sub: 'user-1', scopes: ['poco:supportish'], secret: SECRET });
    expect(await auth.viewerFromAuthorizationHeader(`bearer ${token}`)).toMatchObject({ kind: 'user', isSupport: false });
  });

  it('is anonymous "missing" without a header', async () => {
    expect(await auth.viewerFromAuthorizationHeader(undefined)).toEqual({ kind: 'anonymous', reason: 'missing' });
    expect(await auth.viewerFromAuthorizationHeader('')).toEqual({ kind: 'anonymous', reason: 'missing' });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer '],
    ['garbage', 'Bearer not-a-jwt'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['a huge header', `Bearer ${'a'.repeat(100_000)}`],
  ])('is anonymous "invalid" for a malformed header (%s)', async (_name, header) => {
    expect(await auth.viewerFromAuthorizationHeader(header)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('rejects an expired token (beyond the small clock tolerance)', async () => {
    const expiredAt = Math.floor(Date.now() / 1000) - 120;
    const token = await signDevToken({ sub: 'user-1', secret: SECRET, expiresIn: expiredAt });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const token = await signDevToken({ sub: 'user-1', secret: SECRET, expiresIn: Math.floor(Date.now() / 1000) - 5 });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toMatchObject({ kind: 'user' });
  });

  it('rejects a token signed with another secret', async () => {
    const token = await signDevToken({ sub: 'user-1', secret: 'another-secret-of-at-least-32-chars!!' });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('rejects alg none', async () => {
    const token = unsignedToken({ sub: 'user-1', scope: 'poco:support', exp: Math.floor(Date.now() / 1000) + 60 });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('rejects a token without sub or without exp', async () => {
    const key = new TextEncoder().encode(SECRET);
    const noSub = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(key);
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').sign(key);
    for (const token of [noSub, noExp]) {
      expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
    }
  });
});

describe('issuer and audience', () => {
  const auth = authenticatorFor({ JWT_SECRET: SECRET, JWT_ISSUER: 'https://account.xiaomi.com', JWT_AUDIENCE: 'supergraph' });
  const sign = (issuer?: string, audience?: string) =>
    signDevToken({
      sub: 'user-1',
      secret: SECRET,
      ...(issuer !== undefined ? { issuer } : {}),
      ...(audience !== undefined ? { audience } : {}),
    });

  it('accepts the configured issuer and audience', async () => {
    const token = await sign('https://account.xiaomi.com', 'supergraph');
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toMatchObject({ kind: 'user', userId: 'user-1' });
  });

  it.each([
    ['a wrong issuer', 'https://evil.example.com', 'supergraph'],
    ['a wrong audience', 'https://account.xiaomi.com', 'another-api'],
    ['no issuer', undefined, 'supergraph'],
    ['no audience', 'https://account.xiaomi.com', undefined],
  ])('rejects %s', async (_name, issuer, audience) => {
    const token = await sign(issuer, audience);
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });
});

describe('RS256 and ES256 via JWT_PUBLIC_KEY', () => {
  it.each([
    ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const)('accepts %s tokens signed with the matching private key', async (alg, pair) => {
    const auth = authenticatorFor({ JWT_PUBLIC_KEY: pemOf(pair.publicKey) });
    const token = await signWith(alg, pair.privateKey, { scope: 'poco:support' });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toMatchObject({ kind: 'user', userId: 'user-42', isSupport: true });
  });

  it('rejects a token signed by another key of the same type', async () => {
    const configured = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const auth = authenticatorFor({ JWT_PUBLIC_KEY: pemOf(configured.publicKey) });
    const token = await signWith('ES256', other.privateKey);
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('rejects HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = pemOf(pair.publicKey);
    const auth = authenticatorFor({ JWT_PUBLIC_KEY: pem });
    const forged = await new SignJWT({ scope: 'poco:support' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-42')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${forged}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('rejects an ES256 token when the configured key is RSA (no algorithm mix-up)', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const auth = authenticatorFor({ JWT_PUBLIC_KEY: pemOf(rsa.publicKey) });
    const token = await signWith('ES256', ec.privateKey);
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });
});

describe('RS256 and ES256 via a JWKS (JWT_JWKS_URL)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let server: Server;
  let jwksUrl: string;
  let jwksRequests = 0;

  beforeAll(async () => {
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((_req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies RS256 and ES256 tokens by kid, fetching the key set once', async () => {
    const auth = authenticatorFor({ JWT_JWKS_URL: jwksUrl });
    jwksRequests = 0;
    const rsToken = await signWith('RS256', rsa.privateKey, {}, 'rsa-1');
    const esToken = await signWith('ES256', ec.privateKey, {}, 'ec-1');
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${rsToken}`)).toMatchObject({ kind: 'user', userId: 'user-42' });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${esToken}`)).toMatchObject({ kind: 'user', userId: 'user-42' });
    expect(jwksRequests).toBe(1);
  });

  it('rejects a token whose kid is not in the set, and one signed by an unknown key', async () => {
    const auth = authenticatorFor({ JWT_JWKS_URL: jwksUrl });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const unknownKid = await signWith('RS256', rsa.privateKey, {}, 'nope');
    const wrongKey = await signWith('RS256', stranger.privateKey, {}, 'rsa-1');
    for (const token of [unknownKid, wrongKey]) {
      expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
    }
  });

  it('rejects HS256 tokens when only a JWKS is configured', async () => {
    const auth = authenticatorFor({ JWT_JWKS_URL: jwksUrl });
    const token = await signDevToken({ sub: 'user-1', secret: SECRET });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });

  it('answers "invalid" (and does not throw) when the JWKS endpoint is unreachable, and warns in the log without the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    let logText = '';
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logText += chunk.toString('utf8');
          done();
        },
      }),
    );
    const auth = createAuthenticator(loadConfig({ JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks` }).jwt, logger);
    const token = await signWith('RS256', rsa.privateKey, {}, 'rsa-1');
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
    const lines = logText.trim().split('\n').map((line) => JSON.parse(line) as { level: number; auth?: string });
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, auth: 'key_source_failure' }));
    expect(logText).not.toContain(token);
    expect(logText).not.toContain(token.split('.')[2]);
  });
});

describe('scopesOf', () => {
  it('reads a space-separated scope and an scp array together', () => {
    expect(scopesOf({ scope: ' openid  poco:support ', scp: ['profile', 'with space', 7] })).toEqual(
      new Set(['openid', 'poco:support', 'profile']),
    );
  });
});

describe('without any configured verification', () => {
  it('treats every token as invalid', async () => {
    const auth = authenticatorFor({});
    const token = await signDevToken({ sub: 'user-1', secret: SECRET });
    expect(await auth.viewerFromAuthorizationHeader(`Bearer ${token}`)).toEqual({ kind: 'anonymous', reason: 'invalid' });
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, DEFAULTS, DEVELOPMENT_CURSOR_SECRET, DEVELOPMENT_DOCUMENT_SECRET, describeConfig, loadConfig } from '../src/config';

const SECRET = 'x'.repeat(32);
const PRODUCTION = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db.internal:27017',
  JWT_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
  CURSOR_SECRET: 'c'.repeat(40),
  DOCUMENT_SECRET: 'd'.repeat(40),
};

/** The ConfigError loadConfig throws for `env`, or fails the test. */
function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

function expectOneLineNaming(env: NodeJS.ProcessEnv, variable: string): ConfigError {
  const error = configErrorOf(env);
  expect(error.variable).toBe(variable);
  expect(error.message.startsWith(`${variable}: `)).toBe(true);
  expect(error.message).not.toContain('\n');
  return error;
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mongodbUri: undefined,
      mongodbDb: 'poco_legacy',
      port: 4001,
      host: '127.0.0.1',
      nodeEnv: 'development',
      isProduction: false,
      logLevel: 'info',
      cursorSecret: DEVELOPMENT_CURSOR_SECRET,
      maxRequestBodyBytes: DEFAULTS.maxRequestBodyBytes,
      requestBodyLinger: { maxBytes: 32 * 1024 * 1024, maxMs: 5000 },
    });
    expect(config.jwt).toEqual({ secret: undefined, jwksUrl: undefined, publicKey: undefined, issuer: undefined, audience: undefined });
  });

  it('returns a frozen configuration, nested objects included', () => {
    const config = loadConfig({ JWT_AUDIENCE: 'a,b' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.jwt)).toBe(true);
    expect(Object.isFrozen(config.jwt.audience)).toBe(true);
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      MONGODB_URI: 'mongodb+srv://user:pw@cluster0.example.net/?retryWrites=true',
      MONGODB_DB: 'poco_history',
      PORT: '0',
      HOST: '0.0.0.0',
      NODE_ENV: 'test',
      JWT_SECRET: SECRET,
      JWT_JWKS_URL: 'http://127.0.0.1:9999/jwks',
      JWT_ISSUER: 'https://account.xiaomi.com',
      JWT_AUDIENCE: ' supergraph , poco ',
      LOG_LEVEL: 'DEBUG',
      CURSOR_SECRET: 'k'.repeat(32),
      MAX_REQUEST_BODY_BYTES: '2048',
      REQUEST_BODY_LINGER_BYTES: '0',
      REQUEST_BODY_LINGER_MS: '250',
    });
    expect(config.mongodbUri).toBe('mongodb+srv://user:pw@cluster0.example.net/?retryWrites=true');
    expect(config.mongodbDb).toBe('poco_history');
    expect(config.port).toBe(0);
    expect(config.host).toBe('0.0.0.0');
    expect(config.nodeEnv).toBe('test');
    expect(config.jwt.secret).toBe(SECRET);
    expect(config.jwt.jwksUrl?.href).toBe('http://127.0.0.1:9999/jwks');
    expect(config.jwt.issuer).toBe('https://account.xiaomi.com');
    expect(config.jwt.audience).toEqual(['supergraph', 'poco']);
    expect(config.logLevel).toBe('debug');
    expect(config.cursorSecret).toBe('k'.repeat(32));
    expect(config.maxRequestBodyBytes).toBe(2048);
    expect(config.requestBodyLinger).toEqual({ maxBytes: 0, maxMs: 250 });
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '', MONGODB_URI: '  ', LOG_LEVEL: '' });
    expect(config.port).toBe(4001);
    expect(config.mongodbUri).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('accepts a production environment with a database and a way to verify tokens', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.isProduction).toBe(true);
    expect(config.jwt.jwksUrl?.href).toBe(PRODUCTION.JWT_JWKS_URL);
  });

  describe('rejects, in one line naming the variable,', () => {
    it.each([
      ['MONGODB_URI', { MONGODB_URI: 'postgres://db:5432' }],
      ['MONGODB_URI', { MONGODB_URI: 'mongodb://has space' }],
      ['MONGODB_DB', { MONGODB_DB: 'poco.legacy' }],
      ['MONGODB_DB', { MONGODB_DB: 'a'.repeat(64) }],
      ['PORT', { PORT: 'http' }],
      ['PORT', { PORT: '65536' }],
      ['PORT', { PORT: '-1' }],
      ['PORT', { PORT: '80.5' }],
      ['HOST', { HOST: 'local host' }],
      ['HOST', { HOST: 'http://localhost' }],
      ['NODE_ENV', { NODE_ENV: 'prod' }],
      ['JWT_SECRET', { JWT_SECRET: 'short' }],
      ['JWT_JWKS_URL', { JWT_JWKS_URL: 'not a url' }],
      ['JWT_JWKS_URL', { JWT_JWKS_URL: 'ftp://keys.example.com/jwks' }],
      ['JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: 'ssh-rsa AAAA' }],
      ['JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----' }],
      ['JWT_AUDIENCE', { JWT_AUDIENCE: ' , ' }],
      ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
      ['CURSOR_SECRET', { CURSOR_SECRET: 'too-short' }],
      ['MAX_REQUEST_BODY_BYTES', { MAX_REQUEST_BODY_BYTES: '1mb' }],
      ['MAX_REQUEST_BODY_BYTES', { MAX_REQUEST_BODY_BYTES: '10' }],
      ['REQUEST_BODY_LINGER_BYTES', { REQUEST_BODY_LINGER_BYTES: '32mb' }],
      ['REQUEST_BODY_LINGER_MS', { REQUEST_BODY_LINGER_MS: '120000' }],
    ])('%s in %j', (variable, env) => {
      expectOneLineNaming(env, variable);
    });

    it('a MONGODB_URI without echoing it (it may hold a password)', () => {
      const error = expectOneLineNaming({ MONGODB_URI: 'postgres://admin:hunter2@db' }, 'MONGODB_URI');
      expect(error.message).not.toContain('hunter2');
    });

    it('both JWT_JWKS_URL and JWT_PUBLIC_KEY', () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expectOneLineNaming({ JWT_JWKS_URL: 'https://keys.example.com/jwks', JWT_PUBLIC_KEY: pem }, 'JWT_PUBLIC_KEY');
    });

    it('a public key of a type no pinned algorithm verifies (Ed25519, P-384, small RSA)', () => {
      for (const { publicKey } of [
        generateKeyPairSync('ed25519'),
        generateKeyPairSync('ec', { namedCurve: 'P-384' }),
        generateKeyPairSync('rsa', { modulusLength: 1024 }),
      ]) {
        expectOneLineNaming({ JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString() }, 'JWT_PUBLIC_KEY');
      }
    });

    it('production without MONGODB_URI', () => {
      expectOneLineNaming({ ...PRODUCTION, MONGODB_URI: undefined }, 'MONGODB_URI');
    });

    it('production without any JWT verification method', () => {
      expectOneLineNaming({ ...PRODUCTION, JWT_JWKS_URL: undefined }, 'JWT_JWKS_URL');
    });

    it('production with a plain-http JWKS URL', () => {
      expectOneLineNaming({ ...PRODUCTION, JWT_JWKS_URL: 'http://auth.internal/jwks' }, 'JWT_JWKS_URL');
    });

    it('production without CURSOR_SECRET', () => {
      expectOneLineNaming({ ...PRODUCTION, CURSOR_SECRET: undefined }, 'CURSOR_SECRET');
    });
  });

  it('pins the algorithm of JWT_PUBLIC_KEY by its key type, also from a one-line PEM with literal \\n', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(loadConfig({ JWT_PUBLIC_KEY: rsa }).jwt.publicKey?.algorithm).toBe('RS256');
    expect(loadConfig({ JWT_PUBLIC_KEY: ec.replace(/\n/g, '\\n') }).jwt.publicKey?.algorithm).toBe('ES256');
  });
});

describe('describeConfig', () => {
  it('describes the configuration for the start-up log without any secret', () => {
    const config = loadConfig({
      MONGODB_URI: 'mongodb+srv://admin:hunter2@cluster0.example.net/?retryWrites=true',
      JWT_SECRET: 'a-hs256-secret-of-at-least-32-characters',
      CURSOR_SECRET: 'a-cursor-secret-of-at-least-32-characters',
      JWT_ISSUER: 'https://account.xiaomi.com',
    });
    const description = describeConfig(config);
    const text = JSON.stringify(description);
    expect(description).toMatchObject({
      nodeEnv: 'development',
      database: 'mongodb+srv://cluster0.example.net',
      databaseName: 'poco_legacy',
      tokens: { hs256: true, issuer: 'https://account.xiaomi.com' },
      cursorSecret: 'configured',
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('admin');
    expect(text).not.toContain('a-hs256-secret');
    expect(text).not.toContain('a-cursor-secret');
  });
});

describe('POCO_TEST_FAULT (the erasure fault test hook)', () => {
  it('is read only when NODE_ENV=test', () => {
    expect(loadConfig({ NODE_ENV: 'test', POCO_TEST_FAULT: 'kill-after-erasure-decided' }).testFault).toBe('kill-after-erasure-decided');
    expect(loadConfig({ POCO_TEST_FAULT: 'kill-after-erasure-decided' }).testFault).toBeUndefined();
    expect(loadConfig({ ...PRODUCTION, POCO_TEST_FAULT: 'kill-after-orders-scrubbed' }).testFault).toBeUndefined();
  });

  it('stops a test start-up with one line naming it when the value is unknown', () => {
    expectOneLineNaming({ NODE_ENV: 'test', POCO_TEST_FAULT: 'kill-everything' }, 'POCO_TEST_FAULT');
  });
});

describe('document links and warranty configuration', () => {
  it('defaults: no PUBLIC_BASE_URL (the listening address), the development document secret, 24 months everywhere', () => {
    const config = loadConfig({});
    expect(config.documents.publicBaseUrl).toBeUndefined();
    expect(config.documents.secret).toBe(DEVELOPMENT_DOCUMENT_SECRET);
    expect(config.warrantyMonths).toEqual({ GLOBAL: 24, UK: 24, FR: 24, DE: 24, ES: 24, IT: 24, PL: 24 });
    expect(Object.isFrozen(config.warrantyMonths)).toBe(true);
  });

  it('PUBLIC_BASE_URL keeps its path and loses its trailing slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://api.example.com/poco/' }).documents.publicBaseUrl).toBe('https://api.example.com/poco');
    expect(loadConfig({ PUBLIC_BASE_URL: ' https://api.example.com ' }).documents.publicBaseUrl).toBe('https://api.example.com');
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://localhost:4001' }).documents.publicBaseUrl).toBe('http://localhost:4001');
  });

  it.each([
    ['not a URL', { PUBLIC_BASE_URL: 'poco.example.com' }],
    ['another scheme', { PUBLIC_BASE_URL: 'ftp://poco.example.com' }],
    ['a query', { PUBLIC_BASE_URL: 'https://poco.example.com/?a=1' }],
    ['a fragment', { PUBLIC_BASE_URL: 'https://poco.example.com/#top' }],
    ['credentials', { PUBLIC_BASE_URL: 'https://user:pw@poco.example.com' }],
    ['plain http in production', { ...PRODUCTION, PUBLIC_BASE_URL: 'http://poco.example.com' }],
  ])('refuses a PUBLIC_BASE_URL with %s', (_case, env) => {
    expectOneLineNaming(env, 'PUBLIC_BASE_URL');
  });

  it('DOCUMENT_SECRET: required in production, at least 32 characters', () => {
    const { DOCUMENT_SECRET: _unused, ...withoutSecret } = PRODUCTION;
    expectOneLineNaming(withoutSecret, 'DOCUMENT_SECRET');
    expectOneLineNaming({ DOCUMENT_SECRET: 'short' }, 'DOCUMENT_SECRET');
    expect(loadConfig(PRODUCTION).documents.secret).toBe(PRODUCTION.DOCUMENT_SECRET);
  });

  it('POCO_WARRANTY_MONTHS sets every store, POCO_WARRANTY_MONTHS_<STORE> one store', () => {
    const config = loadConfig({ POCO_WARRANTY_MONTHS: '12', POCO_WARRANTY_MONTHS_UK: '36', POCO_WARRANTY_MONTHS_PL: ' 30 ' });
    expect(config.warrantyMonths).toEqual({ GLOBAL: 12, UK: 36, FR: 12, DE: 12, ES: 12, IT: 12, PL: 30 });
    expect(loadConfig({ POCO_WARRANTY_MONTHS_FR: '36' }).warrantyMonths).toMatchObject({ FR: 36, DE: 24 });
  });

  it.each([
    ['POCO_WARRANTY_MONTHS', { POCO_WARRANTY_MONTHS: 'two years' }],
    ['POCO_WARRANTY_MONTHS', { POCO_WARRANTY_MONTHS: '0' }],
    ['POCO_WARRANTY_MONTHS', { POCO_WARRANTY_MONTHS: '-24' }],
    ['POCO_WARRANTY_MONTHS', { POCO_WARRANTY_MONTHS: '24.5' }],
    ['POCO_WARRANTY_MONTHS', { POCO_WARRANTY_MONTHS: '240' }],
    ['POCO_WARRANTY_MONTHS_UK', { POCO_WARRANTY_MONTHS_UK: '1e2' }],
    ['POCO_WARRANTY_MONTHS_GB', { POCO_WARRANTY_MONTHS_GB: '36' }],
    ['POCO_WARRANTY_MONTHS_uk', { POCO_WARRANTY_MONTHS_uk: '36' }],
  ])('stops with one line naming %s for a bad value', (variable, env) => {
    expectOneLineNaming(env, variable);
  });

  it('describes document settings without the secret', () => {
    const described = JSON.stringify(describeConfig(loadConfig({ DOCUMENT_SECRET: 's'.repeat(40) })));
    expect(described).not.toContain('s'.repeat(40));
    expect(described).toContain('"secret":"configured"');
  });
});

describe('LOCAL_DATABASE_DIR', () => {
  it('is unset by default (the project’s .cache/localdb), an absolute path when set, and refused when relative', () => {
    expect(loadConfig({}).localDatabaseDir).toBeUndefined();
    expect(loadConfig({ LOCAL_DATABASE_DIR: '/tmp/poco-local' }).localDatabaseDir).toBe('/tmp/poco-local');
    expect(() => loadConfig({ LOCAL_DATABASE_DIR: 'data/local' })).toThrow(new ConfigError('LOCAL_DATABASE_DIR', 'must be an absolute path; got "data/local"'));
  });
});

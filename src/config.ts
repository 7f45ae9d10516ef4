/**
 * The service's configuration, read from the environment once at start-up
 * (runtime.md "Configuration") and passed down from there: nothing else reads
 * `process.env`. Every variable is validated here, so bad configuration stops
 * the process with one line naming the variable instead of failing later in
 * the middle of a request.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { LimitSettingError, readLimitSettings, type LimitSettings } from './limits/settings';
import { POCO_STORES, type PocoStore } from './shared/codes';

export type NodeEnv = 'development' | 'test' | 'production';
export const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The asymmetric algorithms a public key may verify; pinned by the key's type. */
export type PublicKeyAlgorithm = 'RS256' | 'ES256';

export interface JwtConfig {
  /** HS256 secret (JWT_SECRET). */
  readonly secret: string | undefined;
  /** JWKS endpoint for RS256/ES256 (JWT_JWKS_URL). */
  readonly jwksUrl: URL | undefined;
  /** A PEM (SPKI) public key and the one algorithm it verifies (JWT_PUBLIC_KEY). */
  readonly publicKey: { readonly key: KeyObject; readonly algorithm: PublicKeyAlgorithm } | undefined;
  /** Required `iss` when set (JWT_ISSUER). */
  readonly issuer: string | undefined;
  /** Accepted `aud` values when set (JWT_AUDIENCE, comma-separated). */
  readonly audience: readonly string[] | undefined;
}

export interface Config {
  /** MONGODB_URI; undefined = the local development database (never in production). */
  readonly mongodbUri: string | undefined;
  /**
   * The local development database's folder (LOCAL_DATABASE_DIR, an absolute
   * path); undefined = `.cache/localdb` of the project. Used only without MONGODB_URI.
   */
  readonly localDatabaseDir: string | undefined;
  readonly mongodbDb: string;
  readonly port: number;
  readonly host: string;
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly jwt: JwtConfig;
  readonly logLevel: LogLevel;
  /**
   * HMAC key for pagination cursors (CURSOR_SECRET). Required in production so
   * that every replica accepts the cursors the others issued.
   */
  readonly cursorSecret: string;
  /** Largest accepted request body in bytes (MAX_REQUEST_BODY_BYTES, default 1 MiB). */
  readonly maxRequestBodyBytes: number;
  /**
   * After answering before the body was read (413, 401), how much more of the body is read and
   * discarded so the client can read the answer (REQUEST_BODY_LINGER_BYTES, REQUEST_BODY_LINGER_MS).
   */
  readonly requestBodyLinger: { readonly maxBytes: number; readonly maxMs: number };
  /**
   * Request limits, database timeouts, shutdown grace and the router's shared
   * secret (src/limits/settings.ts; README "Limits" lists each variable).
   */
  readonly limits: LimitSettings;
  /**
   * A fault the tests inject (POCO_TEST_FAULT), read only when NODE_ENV=test
   * and ignored everywhere else, so no deployment can switch it on.
   */
  readonly testFault: TestFault | undefined;
  /** Document links (runtime.md PUBLIC_BASE_URL, DOCUMENT_SECRET; src/documents/). */
  readonly documents: DocumentsConfig;
  /** Warranty length in months per store (POCO_WARRANTY_MONTHS, POCO_WARRANTY_MONTHS_<STORE>). */
  readonly warrantyMonths: Readonly<Record<PocoStore, number>>;
}

export interface DocumentsConfig {
  /**
   * PUBLIC_BASE_URL without its trailing slash: links are this plus
   * `/documents/<token>`. Undefined = `http://HOST:PORT` of the listening
   * server, known only once it listens (PORT=0 picks a free port).
   */
  readonly publicBaseUrl: string | undefined;
  /** DOCUMENT_SECRET: the key material of document link tokens. */
  readonly secret: string;
}

/**
 * Where the erasure fault test kills the process (SIGKILL): right after the
 * erasure was decided (nothing scrubbed yet), or after the orders were
 * scrubbed and before the feedback (the last collection).
 */
export type TestFault = 'kill-after-erasure-decided' | 'kill-after-orders-scrubbed';
export const TEST_FAULTS: readonly TestFault[] = ['kill-after-erasure-decided', 'kill-after-orders-scrubbed'];

/** Bad configuration: the message is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export const DEFAULTS = {
  mongodbDb: 'poco_legacy',
  port: 4001,
  host: '127.0.0.1',
  nodeEnv: 'development',
  logLevel: 'info',
  maxRequestBodyBytes: 1024 * 1024,
  requestBodyLingerBytes: 32 * 1024 * 1024,
  requestBodyLingerMs: 5000,
} as const;

/**
 * Used outside production when CURSOR_SECRET is unset. Public on purpose: it
 * only keeps development cursors stable across restarts.
 */
export const DEVELOPMENT_CURSOR_SECRET = 'poco-legacy-development-cursor-secret-not-for-production';

/**
 * Used outside production when DOCUMENT_SECRET is unset. Public on purpose,
 * like the cursor secret: development links survive restarts, nothing more.
 */
export const DEVELOPMENT_DOCUMENT_SECRET = 'poco-legacy-development-document-secret-not-for-production';
const MIN_DOCUMENT_SECRET_LENGTH = 32;

/** api.md: 24 months for every store unless configured. */
export const DEFAULT_WARRANTY_MONTHS = 24;
/** Longer than any consumer warranty; a bigger value is a typo (240 for 24). */
const MAX_WARRANTY_MONTHS = 120;
const WARRANTY_MONTHS = 'POCO_WARRANTY_MONTHS';

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits). */
export const MIN_HS256_SECRET_LENGTH = 32;
const MIN_CURSOR_SECRET_LENGTH = 32;

/** Reads a variable; an empty or blank value counts as unset (as shells and compose files produce them). */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return undefined;
  return value;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value.trim());
  if (found === undefined) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}; got ${quote(value)}`);
  }
  return found;
}

/** Shows a bad value in a message, shortened and on one line. */
function quote(value: string): string {
  const oneLine = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return oneLine;
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new ConfigError(name, `must be a whole number from ${min} to ${max}; got ${quote(value)}`);
  const number = Number(text);
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}; got ${quote(value)}`);
  }
  return number;
}

function parseMongodbUri(value: string): string {
  const uri = value.trim();
  if (!/^mongodb(\+srv)?:\/\/[^\s]+$/.test(uri)) {
    // The value may hold a password: never echo it.
    throw new ConfigError('MONGODB_URI', 'must be a connection string starting with mongodb:// or mongodb+srv://');
  }
  return uri;
}

function parseDatabaseName(value: string): string {
  const name = value.trim();
  // MongoDB's own rules for database names (and FerretDB's, which are stricter about length).
  if (name.length > 63 || /[/\\. "$*<>:|?\0]/.test(name)) {
    throw new ConfigError(
      'MONGODB_DB',
      `must be at most 63 characters without spaces or any of / \\ . " $ * < > : | ?; got ${quote(value)}`,
    );
  }
  return name;
}

function parseHost(value: string): string {
  const host = value.trim();
  if (/\s/.test(host) || host.includes('/')) throw new ConfigError('HOST', `must be a host name or IP address; got ${quote(value)}`);
  return host;
}

function parseJwksUrl(value: string, isProduction: boolean): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError('JWT_JWKS_URL', `must be an absolute http(s) URL; got ${quote(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('JWT_JWKS_URL', `must be an absolute http(s) URL; got ${quote(value)}`);
  }
  if (isProduction && url.protocol !== 'https:') {
    throw new ConfigError('JWT_JWKS_URL', 'must use https in production');
  }
  return url;
}

/**
 * A PEM public key (SPKI, "-----BEGIN PUBLIC KEY-----"). Environment files
 * often carry it on one line with literal `\n`: those are turned back into
 * newlines. The key's type decides its single algorithm (no RS/ES/HS mix-ups).
 */
function parsePublicKey(value: string): { key: KeyObject; algorithm: PublicKeyAlgorithm } {
  const pem = value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new ConfigError('JWT_PUBLIC_KEY', 'must be a PEM public key starting with -----BEGIN PUBLIC KEY----- (SPKI)');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem.trim(), format: 'pem', type: 'spki' });
  } catch {
    throw new ConfigError('JWT_PUBLIC_KEY', 'is not a readable PEM (SPKI) public key');
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new ConfigError('JWT_PUBLIC_KEY', `RSA keys must have at least 2048 bits; got ${bits}`);
    return { key, algorithm: 'RS256' };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { key, algorithm: 'ES256' };
  }
  const kind = key.asymmetricKeyType === 'ec' ? `ec ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim() : key.asymmetricKeyType;
  throw new ConfigError('JWT_PUBLIC_KEY', `must be an RSA (RS256) or P-256 EC (ES256) key; got ${kind ?? 'an unknown key type'}`);
}

function parseSecret(name: string, value: string, minLength: number): string {
  if (value.length < minLength) {
    throw new ConfigError(name, `must be at least ${minLength} characters long; got ${value.length}`);
  }
  return value;
}

function parseAudience(value: string): string[] {
  const audiences = value
    .split(',')
    .map((audience) => audience.trim())
    .filter((audience) => audience !== '');
  if (audiences.length === 0) throw new ConfigError('JWT_AUDIENCE', `must name at least one audience; got ${quote(value)}`);
  return audiences;
}

/**
 * PUBLIC_BASE_URL: an absolute http(s) URL, possibly with a path (an ingress
 * prefix), without query or fragment (a token is appended to it). The trailing
 * slash is dropped so that `…/` and `…` give the same links.
 */
function parsePublicBaseUrl(value: string, isProduction: boolean): string {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('PUBLIC_BASE_URL', `must be an absolute http(s) URL; got ${quote(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('PUBLIC_BASE_URL', `must be an absolute http(s) URL; got ${quote(value)}`);
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    throw new ConfigError('PUBLIC_BASE_URL', `must not have a query or fragment (links append /documents/<token>); got ${quote(value)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError('PUBLIC_BASE_URL', 'must not carry credentials');
  }
  if (isProduction && url.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_BASE_URL', 'must use https in production (links carry a credential)');
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * POCO_WARRANTY_MONTHS for every store, POCO_WARRANTY_MONTHS_<STORE> for one.
 * A suffix that names no store is refused rather than ignored: a typo such
 * as _GB would otherwise silently leave the UK on the default.
 */
function readWarrantyMonths(env: NodeJS.ProcessEnv): Record<PocoStore, number> {
  const parse = (name: string, text: string): number => parseInteger(name, text, 1, MAX_WARRANTY_MONTHS);
  const allText = read(env, WARRANTY_MONTHS);
  const all = allText === undefined ? DEFAULT_WARRANTY_MONTHS : parse(WARRANTY_MONTHS, allText);
  const months = Object.fromEntries(POCO_STORES.map((store) => [store, all])) as Record<PocoStore, number>;
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(`${WARRANTY_MONTHS}_`)) continue;
    const text = read(env, name);
    if (text === undefined) continue;
    const store = POCO_STORES.find((candidate) => name === `${WARRANTY_MONTHS}_${candidate}`);
    if (store === undefined) {
      throw new ConfigError(name, `names no store; use one of ${POCO_STORES.map((s) => `${WARRANTY_MONTHS}_${s}`).join(', ')}`);
    }
    months[store] = parse(name, text);
  }
  return months;
}

function deepFreeze<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    const child = value[key];
    if (child && typeof child === 'object' && !(child instanceof URL) && !Object.isFrozen(child) && isPlain(child)) {
      deepFreeze(child as object);
    }
  }
  return Object.freeze(value);
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === Array.prototype;
}

/** Reads and validates every variable; throws ConfigError on the first bad one. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const nodeEnvText = read(env, 'NODE_ENV');
  const nodeEnv = nodeEnvText === undefined ? DEFAULTS.nodeEnv : oneOf('NODE_ENV', nodeEnvText, NODE_ENVS);
  const isProduction = nodeEnv === 'production';

  const mongodbUriText = read(env, 'MONGODB_URI');
  const mongodbUri = mongodbUriText === undefined ? undefined : parseMongodbUri(mongodbUriText);
  if (isProduction && mongodbUri === undefined) {
    throw new ConfigError('MONGODB_URI', 'is required in production (the local database never starts there)');
  }
  const localDirText = read(env, 'LOCAL_DATABASE_DIR');
  if (localDirText !== undefined && !isAbsolute(localDirText.trim())) {
    throw new ConfigError('LOCAL_DATABASE_DIR', `must be an absolute path; got ${quote(localDirText)}`);
  }
  const localDatabaseDir = localDirText?.trim();
  const mongodbDbText = read(env, 'MONGODB_DB');
  const mongodbDb = mongodbDbText === undefined ? DEFAULTS.mongodbDb : parseDatabaseName(mongodbDbText);

  const portText = read(env, 'PORT');
  const port = portText === undefined ? DEFAULTS.port : parseInteger('PORT', portText, 0, 65535);
  const hostText = read(env, 'HOST');
  const host = hostText === undefined ? DEFAULTS.host : parseHost(hostText);

  const secretText = read(env, 'JWT_SECRET');
  const jwksUrlText = read(env, 'JWT_JWKS_URL');
  const publicKeyText = read(env, 'JWT_PUBLIC_KEY');
  if (jwksUrlText !== undefined && publicKeyText !== undefined) {
    throw new ConfigError('JWT_PUBLIC_KEY', 'set either JWT_JWKS_URL or JWT_PUBLIC_KEY, not both');
  }
  const issuerText = read(env, 'JWT_ISSUER');
  const audienceText = read(env, 'JWT_AUDIENCE');
  const jwt: JwtConfig = {
    secret: secretText === undefined ? undefined : parseSecret('JWT_SECRET', secretText, MIN_HS256_SECRET_LENGTH),
    jwksUrl: jwksUrlText === undefined ? undefined : parseJwksUrl(jwksUrlText, isProduction),
    publicKey: publicKeyText === undefined ? undefined : parsePublicKey(publicKeyText),
    issuer: issuerText?.trim(),
    audience: audienceText === undefined ? undefined : parseAudience(audienceText),
  };
  if (isProduction && !jwt.secret && !jwt.jwksUrl && !jwt.publicKey) {
    throw new ConfigError('JWT_JWKS_URL', 'production needs a way to verify tokens: set JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET');
  }

  const logLevelText = read(env, 'LOG_LEVEL');
  const logLevel = logLevelText === undefined ? DEFAULTS.logLevel : oneOf('LOG_LEVEL', logLevelText.toLowerCase(), LOG_LEVELS);

  const cursorSecretText = read(env, 'CURSOR_SECRET');
  if (isProduction && cursorSecretText === undefined) {
    throw new ConfigError('CURSOR_SECRET', 'is required in production (at least 32 characters, the same on every replica)');
  }
  const cursorSecret =
    cursorSecretText === undefined ? DEVELOPMENT_CURSOR_SECRET : parseSecret('CURSOR_SECRET', cursorSecretText, MIN_CURSOR_SECRET_LENGTH);

  const maxBodyText = read(env, 'MAX_REQUEST_BODY_BYTES');
  const maxRequestBodyBytes =
    maxBodyText === undefined
      ? DEFAULTS.maxRequestBodyBytes
      : parseInteger('MAX_REQUEST_BODY_BYTES', maxBodyText, 1024, 64 * 1024 * 1024);
  const lingerBytesText = read(env, 'REQUEST_BODY_LINGER_BYTES');
  const lingerMsText = read(env, 'REQUEST_BODY_LINGER_MS');
  const requestBodyLinger = {
    maxBytes:
      lingerBytesText === undefined
        ? DEFAULTS.requestBodyLingerBytes
        : parseInteger('REQUEST_BODY_LINGER_BYTES', lingerBytesText, 0, 1024 * 1024 * 1024),
    maxMs: lingerMsText === undefined ? DEFAULTS.requestBodyLingerMs : parseInteger('REQUEST_BODY_LINGER_MS', lingerMsText, 0, 60_000),
  };

  let limits: LimitSettings;
  try {
    limits = readLimitSettings(env);
  } catch (error) {
    if (error instanceof LimitSettingError) throw new ConfigError(error.variable, error.problem);
    throw error;
  }

  const testFaultText = nodeEnv === 'test' ? read(env, 'POCO_TEST_FAULT') : undefined;
  const testFault = testFaultText === undefined ? undefined : oneOf('POCO_TEST_FAULT', testFaultText, TEST_FAULTS);
  const publicBaseUrlText = read(env, 'PUBLIC_BASE_URL');
  const documentSecretText = read(env, 'DOCUMENT_SECRET');
  if (isProduction && documentSecretText === undefined) {
    throw new ConfigError('DOCUMENT_SECRET', 'is required in production (at least 32 characters, the same on every replica)');
  }
  const documents: DocumentsConfig = {
    publicBaseUrl: publicBaseUrlText === undefined ? undefined : parsePublicBaseUrl(publicBaseUrlText, isProduction),
    secret:
      documentSecretText === undefined
        ? DEVELOPMENT_DOCUMENT_SECRET
        : parseSecret('DOCUMENT_SECRET', documentSecretText, MIN_DOCUMENT_SECRET_LENGTH),
  };
  const warrantyMonths = readWarrantyMonths(env);

  return deepFreeze({
    mongodbUri,
    localDatabaseDir,
    mongodbDb,
    port,
    host,
    nodeEnv,
    isProduction,
    jwt: deepFreeze(jwt),
    logLevel,
    cursorSecret,
    maxRequestBodyBytes,
    requestBodyLinger,
    limits,
    testFault,
    documents: deepFreeze(documents),
    warrantyMonths: deepFreeze(warrantyMonths),
  });
}

/**
 * What the service runs with, for the start-up log line: every setting that
 * helps diagnose a deployment, and no secret (no URI credentials, no keys).
 */
export function describeConfig(config: Config): Record<string, unknown> {
  let database = 'local development database';
  if (config.mongodbUri !== undefined) {
    const hosts = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(config.mongodbUri)?.[1] ?? 'unknown';
    database = `${config.mongodbUri.startsWith('mongodb+srv:') ? 'mongodb+srv' : 'mongodb'}://${hosts}`;
  }
  return {
    nodeEnv: config.nodeEnv,
    listen: `${config.host}:${config.port}`,
    database,
    databaseName: config.mongodbDb,
    tokens: {
      hs256: config.jwt.secret !== undefined,
      jwks: config.jwt.jwksUrl?.href,
      publicKey: config.jwt.publicKey?.algorithm,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    },
    cursorSecret: config.cursorSecret === DEVELOPMENT_CURSOR_SECRET ? 'development default' : 'configured',
    maxRequestBodyBytes: config.maxRequestBodyBytes,
    requestBodyLinger: config.requestBodyLinger,
    logLevel: config.logLevel,
    documents: {
      publicBaseUrl: config.documents.publicBaseUrl ?? 'http://HOST:PORT',
      secret: config.documents.secret === DEVELOPMENT_DOCUMENT_SECRET ? 'development default' : 'configured',
    },
    warrantyMonths: config.warrantyMonths,
  };
}

/**
 * HS256 tokens for tests and the local demo (`npm start` prints one). Never
 * used to issue tokens in production: there the router forwards Xiaomi's.
 */
import { SignJWT } from 'jose';
import type { Config } from '../config';

export interface DevTokenOptions {
  sub: string;
  scopes?: readonly string[];
  secret: string;
  /** jose time span ("1h", "7d") or seconds since the epoch; default one hour. */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string | string[];
}

export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const jwt = new SignJWT({ scope: (options.scopes ?? []).join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h');
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}

/** The seed's first well-known user (src/seed/userBundle.ts): a token for it sees multi-store history. */
export const DEMO_USER_ID = 'demo-user-1';

/**
 * A 12-hour token for `sub` with the configured issuer and audience, signed
 * with the HS256 secret of development; undefined in production or without
 * a secret (then nobody can be handed a demo token).
 */
export async function signDemoToken(
  config: Pick<Config, 'isProduction' | 'jwt'>,
  sub: string,
  scopes: readonly string[] = [],
): Promise<string | undefined> {
  const secret = config.jwt.secret;
  if (config.isProduction || secret === undefined) return undefined;
  return signDevToken({
    sub,
    scopes,
    secret,
    expiresIn: '12h',
    ...(config.jwt.issuer !== undefined ? { issuer: config.jwt.issuer } : {}),
    ...(config.jwt.audience !== undefined ? { audience: [...config.jwt.audience] } : {}),
  });
}

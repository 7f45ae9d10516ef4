/**
 * HS256 tokens for tests and the local demo (`npm start` prints one). Never
 * used to issue tokens in production: there the router forwards Xiaomi's.
 */
import { SignJWT } from 'jose';

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

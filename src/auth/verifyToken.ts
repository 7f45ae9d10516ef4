/**
 * Bearer-token verification with jose. Each configured key verifies exactly
 * the algorithm of its type: JWT_SECRET only HS256, JWT_PUBLIC_KEY only its
 * own RS256 or ES256, a JWKS only RS256/ES256 (jose also checks each JWK's
 * type against the header's `alg`). So `none`, and HS256 signed with a public
 * key as the secret (algorithm confusion), never verify.
 */
import { types } from 'node:util';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import type { JwtConfig } from '../config';

/** Seconds of clock skew tolerated on `exp`/`nbf`/`iat` between the issuer and us. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export type TokenAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** Verifies a compact JWS and returns its payload; throws (jose's errors) when it does not verify. */
export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export class NoVerificationKeyError extends Error {
  override readonly name = 'NoVerificationKeyError';
}

export function createTokenVerifier(jwt: JwtConfig): TokenVerifier {
  const secret = jwt.secret === undefined ? undefined : new TextEncoder().encode(jwt.secret);
  const publicKey = jwt.publicKey;
  const jwks = jwt.jwksUrl
    ? createRemoteJWKSet(jwt.jwksUrl, { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
    : undefined;

  const algorithms: TokenAlgorithm[] = [];
  if (secret) algorithms.push('HS256');
  if (publicKey) algorithms.push(publicKey.algorithm);
  if (jwks) algorithms.push('RS256', 'ES256');
  const allowed = [...new Set(algorithms)];

  const keyFor: JWTVerifyGetKey = async (header, token): Promise<KeyLike | Uint8Array> => {
    switch (header.alg) {
      case 'HS256':
        if (secret) return secret;
        break;
      case 'RS256':
      case 'ES256':
        if (publicKey && publicKey.algorithm === header.alg) return publicKey.key;
        if (jwks) return jwks(header, token);
        break;
    }
    throw new NoVerificationKeyError(`no key verifies alg ${String(header.alg)}`);
  };

  return async (token) => {
    if (allowed.length === 0) throw new NoVerificationKeyError('no JWT verification is configured');
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: allowed,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
      ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience !== undefined ? { audience: [...jwt.audience] } : {}),
    });
    return payload;
  };
}

/**
 * Failures that say nothing about the token but about our key source (the
 * JWKS endpoint unreachable or slow): worth a warning in the log.
 */
export function isKeySourceFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (error instanceof errors.JOSEError) return false;
  if (error instanceof NoVerificationKeyError) return false;
  // Failures of the JWKS request surface as plain system errors (ECONNREFUSED, ETIMEDOUT, ...);
  // isNativeError also recognises errors made in another realm (node core under jest's vm).
  return error instanceof Error || types.isNativeError(error);
}

/**
 * ROUTER_SHARED_SECRET: when set, only the router (which adds the secret in
 * the `x-router-secret` header) may call /graphql; anything else gets 401.
 * /health, /ready and /metrics stay open for probes and scrapers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export { ROUTER_SECRET_HEADER } from './settings';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether the header's value is the secret. Compared in constant time over
 * digests, so neither content nor length leaks through timing. A repeated
 * header (an array) never matches.
 */
export function hasRouterSecret(header: string | readonly string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  return timingSafeEqual(digest(header), digest(secret));
}

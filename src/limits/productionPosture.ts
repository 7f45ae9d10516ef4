/**
 * What production changes in Apollo Server, in one place (NODE_ENV=production):
 * - introspection off: `__schema`/`__type` are refused; `_service { sdl }`
 *   (how routers compose) and `__typename` are ordinary fields and stay on;
 * - no field suggestions ("Did you mean ...?") in validation errors, which
 *   would reveal the schema piece by piece;
 * - no stack traces in responses;
 * CSRF prevention is on everywhere: a GET or a "simple" POST must carry a
 * JSON content type or an `apollo-require-preflight`/`x-apollo-operation-name`
 * header, so a browser form on another site cannot make a user's request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface PostureOptions {
  readonly introspection: boolean;
  readonly hideSchemaDetailsFromClientErrors: boolean;
  readonly includeStacktraceInErrorResponses: boolean;
  readonly csrfPrevention: true;
}

export function apolloPosture(isProduction: boolean): PostureOptions {
  return {
    introspection: !isProduction,
    hideSchemaDetailsFromClientErrors: isProduction,
    // Stacks never help a client; they stay in the server log (see errorMasking).
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether the request's `x-router-secret` header value matches
 * ROUTER_SHARED_SECRET. Compared in constant time over digests, so neither
 * content nor length leaks through timing. A repeated header never matches.
 */
export function hasRouterSecret(header: string | readonly string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  return timingSafeEqual(digest(header), digest(secret));
}

/**
 * The request's Viewer from its `Authorization` header. Never throws: a
 * missing token makes an anonymous 'missing' viewer, anything wrong with a
 * token an anonymous 'invalid' one, and the personal fields then answer
 * UNAUTHENTICATED while public ones (`_service`) keep working.
 */
import type { Logger } from 'pino';
import type { JWTPayload } from 'jose';
import type { JwtConfig } from '../config';
import type { Viewer } from '../graphql/context';
import { createTokenVerifier, isKeySourceFailure } from './verifyToken';

export const SUPPORT_SCOPE = 'poco:support';
/** A privacy officer's tool: erasure, the audit log, access exports; reads everything support reads. */
export const PRIVACY_SCOPE = 'poco:privacy';

/** Longer than any real token; anything bigger is refused before parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.]+)[ \t]*$/i;

const MISSING: Viewer = Object.freeze({ kind: 'anonymous', reason: 'missing' });
const INVALID: Viewer = Object.freeze({ kind: 'anonymous', reason: 'invalid' });

export interface Authenticator {
  viewerFromAuthorizationHeader(header: string | null | undefined): Promise<Viewer>;
}

/** `scope` as a space-separated string (api.md); `scp` as an array or string, as some issuers send it. */
export function scopesOf(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const scope of value.split(/\s+/)) if (scope !== '') scopes.add(scope);
    } else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'string' && item !== '' && !/\s/.test(item)) scopes.add(item);
    }
  };
  add(payload.scope);
  add(payload.scp);
  return scopes;
}

export function viewerFromPayload(payload: JWTPayload): Viewer | undefined {
  const userId = payload.sub;
  if (typeof userId !== 'string' || userId.trim() === '' || userId.length > 256) return undefined;
  const scopes = scopesOf(payload);
  // poco:privacy reads everything poco:support reads (api.md "Scopes"); the actions themselves check their own scope.
  const isSupport = scopes.has(SUPPORT_SCOPE) || scopes.has(PRIVACY_SCOPE);
  return Object.freeze({ kind: 'user', userId, scopes, isSupport });
}

export function createAuthenticator(jwt: JwtConfig, logger?: Logger): Authenticator {
  const verify = createTokenVerifier(jwt);
  return {
    async viewerFromAuthorizationHeader(header) {
      if (header === undefined || header === null || header.trim() === '') return MISSING;
      if (header.length > MAX_TOKEN_LENGTH + 16) return INVALID;
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) {
        logger?.debug({ auth: 'malformed' }, 'Authorization header is not "Bearer <jwt>"');
        return INVALID;
      }
      try {
        const viewer = viewerFromPayload(await verify(token));
        if (!viewer) logger?.debug({ auth: 'no_subject' }, 'token has no usable sub');
        return viewer ?? INVALID;
      } catch (error) {
        // Log why (jose's code), never the token itself.
        const code = (error as { code?: unknown }).code;
        if (isKeySourceFailure(error)) {
          logger?.warn({ auth: 'key_source_failure', err: error }, 'could not fetch the keys to verify a bearer token');
        } else {
          logger?.debug({ auth: typeof code === 'string' ? code : 'rejected' }, 'bearer token rejected');
        }
        return INVALID;
      }
    },
  };
}

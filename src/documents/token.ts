/**
 * Document link tokens: what a link names (document kind, subject id, the
 * viewer's `sub` and scopes at issue time, expiry), sealed with AES-256-GCM
 * under a key derived from DOCUMENT_SECRET.
 *
 * Why sealed rather than only signed: the token sits in a URL, and URLs end
 * up in browser histories, proxy and ingress access logs. Encryption keeps
 * the viewer's id and the subject out of them (the token is opaque), and
 * GCM's tag authenticates it, so a changed byte fails like a wrong key: the
 * caller cannot tell "tampered" from "never ours" (both answer 404).
 *
 * Layout (base64url, no padding): version byte | 12-byte nonce | ciphertext | 16-byte tag.
 * The version byte is authenticated too (as additional data), so a future
 * format can be told apart without guessing.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface DocumentClaims {
  /** A registered document kind's name (src/documents/kinds.ts). */
  readonly kind: string;
  /** What the document is about: an order id, a Xiaomi user id… (the kind decides). */
  readonly subject: string;
  /** The viewer the link was issued to: the bearer token's `sub`. */
  readonly sub: string;
  /** The bearer token's scopes at issue time. */
  readonly scopes: readonly string[];
  /** When the link stops working. */
  readonly expiresAt: Date;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Far longer than any token this module makes (a few hundred characters); longer input is not even decoded. */
export const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface DocumentTokenCodec {
  seal(claims: DocumentClaims): string;
  /** The claims of a token this codec sealed, or undefined for anything else (tampered, foreign, garbage). */
  open(token: string): DocumentClaims | undefined;
}

/** Derives the token key from DOCUMENT_SECRET (HKDF, so the secret is never used as a key directly). */
export function createDocumentTokenCodec(secret: string): DocumentTokenCodec {
  const key = Buffer.from(hkdfSync('sha256', secret, 'poco-legacy-subgraph', 'document-links/v1', 32));
  const additionalData = Buffer.from([VERSION]);

  return {
    seal(claims) {
      const payload = Buffer.from(
        JSON.stringify({ k: claims.kind, s: claims.subject, u: claims.sub, c: claims.scopes, x: claims.expiresAt.getTime() }),
        'utf8',
      );
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData);
      const sealed = Buffer.concat([additionalData, nonce, cipher.update(payload), cipher.final(), cipher.getAuthTag()]);
      return sealed.toString('base64url');
    },
    open(token) {
      if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) return undefined;
      const bytes = Buffer.from(token, 'base64url');
      // Only the canonical spelling: the unused low bits of the last character would
      // otherwise let a changed token open (same bytes, different text).
      if (bytes.toString('base64url') !== token) return undefined;
      if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES + 1 || bytes[0] !== VERSION) return undefined;
      const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const ciphertext = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
      let payload: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData);
        decipher.setAuthTag(tag);
        payload = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        return undefined; // the tag does not match: changed, truncated, or sealed with another secret
      }
      return claimsOf(payload);
    },
  };
}

/** Authentic tokens were made by seal(); the checks guard against a bug, not an attacker. */
function claimsOf(payload: Buffer): DocumentClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { k, s, u, c, x } = value as Record<string, unknown>;
  if (typeof k !== 'string' || typeof s !== 'string' || typeof u !== 'string' || typeof x !== 'number') return undefined;
  if (!Array.isArray(c) || !c.every((scope): scope is string => typeof scope === 'string')) return undefined;
  if (!Number.isSafeInteger(x)) return undefined;
  return { kind: k, subject: s, sub: u, scopes: c, expiresAt: new Date(x) };
}

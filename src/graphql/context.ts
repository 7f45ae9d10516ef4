/**
 * What every resolver receives. Built once per request by the context factory:
 * the caller (from the bearer token), the request's clock, and fresh
 * DataLoaders so batching and caching never outlive the request.
 */
import type { DocumentLinks } from '../documents/links';
import type { Loaders } from '../loaders';
import type { PocoStore } from '../shared/codes';

/** The caller, as established from the `Authorization` header. */
export type Viewer =
  /** No token, or a token that failed verification. */
  | { readonly kind: 'anonymous'; readonly reason: 'missing' | 'invalid' }
  | {
      readonly kind: 'user';
      /** The token's `sub`: a Xiaomi user id. */
      readonly userId: string;
      readonly scopes: ReadonlySet<string>;
      /**
       * The scope contains `poco:support` or `poco:privacy`: may read everything. Support and
       * privacy actions check their own scope in `scopes` (src/auth/policy.ts).
       */
      readonly isSupport: boolean;
    };

export interface RequestContext {
  readonly requestId: string;
  /** The request's time: statuses that depend on "now" use it (api.md). */
  readonly now: Date;
  readonly viewer: Viewer;
  readonly loaders: Loaders;
  /**
   * The HMAC key for pagination cursors (config CURSOR_SECRET; a fixed
   * development value outside production). The same on every replica.
   */
  readonly cursorSecret: string;
  /** Issues document links (PocoDocumentLink) for this request's viewer (src/documents/). */
  readonly documents: DocumentLinks;
  /** Warranty length per store in months (POCO_WARRANTY_MONTHS, POCO_WARRANTY_MONTHS_<STORE>). */
  readonly warrantyMonths: Readonly<Record<PocoStore, number>>;
}

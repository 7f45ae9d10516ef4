/**
 * The per-request context factory: the request id, the request's clock, the
 * Viewer from the Authorization header, and fresh loaders (so batching and
 * caching never outlive a request).
 */
import type { Authenticator } from '../auth/viewer';
import type { Collections } from '../db/collections';
import { createLoaders } from '../loaders';
import { ignoreBatches, type BatchObserver } from '../shared/batchObserver';
import type { RequestContext } from './context';

export interface ContextDependencies {
  readonly authenticator: Authenticator;
  readonly collections: Collections;
  readonly cursorSecret: string;
  /** Told each loader batch's size (the loader batch-size metric). */
  readonly observeLoaderBatch?: BatchObserver;
}

export interface RequestFacts {
  readonly requestId: string;
  readonly authorization: string | undefined;
}

export type ContextFactory = (request: RequestFacts) => Promise<RequestContext>;

export function createContextFactory({
  authenticator,
  collections,
  cursorSecret,
  observeLoaderBatch = ignoreBatches,
}: ContextDependencies): ContextFactory {
  return async ({ requestId, authorization }) => {
    const now = new Date();
    const viewer = await authenticator.viewerFromAuthorizationHeader(authorization);
    return { requestId, now, viewer, loaders: createLoaders(collections, now, observeLoaderBatch), cursorSecret };
  };
}

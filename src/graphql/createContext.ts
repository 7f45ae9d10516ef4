/**
 * The per-request context factory: the request id, the request's clock, the
 * Viewer from the Authorization header, and fresh loaders (so batching and
 * caching never outlive a request).
 */
import type { Authenticator } from '../auth/viewer';
import type { Collections } from '../db/collections';
import type { DocumentLinkIssuer } from '../documents/links';
import { createLoaders } from '../loaders';
import { ignoreBatches, type BatchObserver } from '../shared/batchObserver';
import { systemClock, type Clock } from '../shared/clock';
import type { PocoStore } from '../shared/codes';
import type { RequestContext, Viewer } from './context';

export interface ContextDependencies {
  readonly authenticator: Authenticator;
  readonly collections: Collections;
  readonly cursorSecret: string;
  readonly documents: DocumentLinkIssuer;
  readonly warrantyMonths: Readonly<Record<PocoStore, number>>;
  /** The request's time; the system clock unless a test moves time. */
  readonly clock?: Clock;
  /** Told each loader batch's size (the loader batch-size metric). */
  readonly observeLoaderBatch?: BatchObserver;
}

export interface RequestFacts {
  readonly requestId: string;
  readonly authorization: string | undefined;
}

export type ContextFactory = (request: RequestFacts) => Promise<RequestContext>;

/**
 * A context for a viewer established some other way than a bearer token
 * (a document link names its viewer): the same loaders, clock and settings
 * as a GraphQL request, so the same access rules apply.
 */
export type ViewerContextFactory = (requestId: string, viewer: Viewer) => RequestContext;

export function createViewerContextFactory({
  collections,
  cursorSecret,
  documents,
  warrantyMonths,
  clock = systemClock,
  observeLoaderBatch = ignoreBatches,
}: Omit<ContextDependencies, 'authenticator'>): ViewerContextFactory {
  return (requestId, viewer) => {
    const now = clock();
    return {
      requestId,
      now,
      viewer,
      loaders: createLoaders(collections, now, observeLoaderBatch),
      cursorSecret,
      documents: documents.forRequest(viewer, now),
      warrantyMonths,
    };
  };
}

export function createContextFactory(dependencies: ContextDependencies): ContextFactory {
  const forViewer = createViewerContextFactory(dependencies);
  return async ({ requestId, authorization }) =>
    forViewer(requestId, await dependencies.authenticator.viewerFromAuthorizationHeader(authorization));
}

/**
 * A document kind: something this service hands out as a signed link
 * (`PocoDocumentLink`) and makes when the link is opened (`GET /documents/<token>`).
 *
 * Adding a kind (see src/documents/kinds.ts):
 *   1. In your domain folder, describe it with `defineDocumentKind({...})`:
 *      - `name`: stable, sealed into every link (renaming it breaks links in flight);
 *      - `contentType`: 'application/pdf' or 'application/json';
 *      - `load(context, subjectId)`: read the subject as it is NOW (the link may
 *        be 15 minutes old: erasures and unlinks since then must show). null = nothing (404);
 *      - `mayRead(context, subject)`: may `context.viewer` (the viewer named in the
 *        link, re-built from its sub and scopes) still read it? false answers 404,
 *        exactly like a subject that does not exist;
 *      - `fileName(subject)`: the download's file name (Content-Disposition);
 *      - `render(context, subject)`: the bytes, as a Buffer/Uint8Array/string or a
 *        Readable stream. Long CPU work belongs off the event loop (see
 *        src/afterSales/proofOfPurchase/renderPool.ts).
 *   2. List it in DOCUMENT_KINDS (src/documents/kinds.ts).
 *   3. Issue links from a resolver: `context.documents.link(kind, subjectId)`
 *      returns the PocoDocumentLink value (url, contentType, expiresAt).
 *
 * `context` is a RequestContext like a resolver's (fresh loaders, `now` from the
 * service clock, requestId of the download request), so the same access rules
 * (src/auth/policy.ts, src/accounts/access.ts) decide both the field and the download.
 */
import type { Readable } from 'node:stream';
import type { RequestContext } from '../graphql/context';

/** The media types of the API's PocoDocumentLink.contentType (api.md). */
export type DocumentContentType = 'application/pdf' | 'application/json';

export type DocumentBody = Buffer | Uint8Array | string | Readable;

export interface DocumentKindDefinition<Subject> {
  readonly name: string;
  readonly contentType: DocumentContentType;
  load(context: RequestContext, subjectId: string): Promise<Subject | null>;
  mayRead(context: RequestContext, subject: Subject): boolean | Promise<boolean>;
  fileName(subject: Subject): string;
  render(context: RequestContext, subject: Subject): DocumentBody | Promise<DocumentBody>;
}

/** A subject that was found and that the viewer may read: ready to render. */
export interface PreparedDocument {
  readonly fileName: string;
  render(): Promise<DocumentBody>;
}

/** A kind with its subject type hidden, as the registry and the route hold it. */
export interface DocumentKind {
  readonly name: string;
  readonly contentType: DocumentContentType;
  /** load + mayRead: null when there is nothing this viewer may read (the route answers 404). */
  prepare(context: RequestContext, subjectId: string): Promise<PreparedDocument | null>;
}

/**
 * Thrown by a kind's render when it cannot take more work now (a full render
 * queue): the download answers 503 with Retry-After instead of queueing without limit.
 */
export class DocumentBusyError extends Error {
  override readonly name = 'DocumentBusyError';
  constructor() {
    super('too many documents are being made right now');
  }
}

const KIND_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export function defineDocumentKind<Subject>(definition: DocumentKindDefinition<Subject>): DocumentKind {
  if (!KIND_NAME.test(definition.name)) throw new Error(`Document kind name ${JSON.stringify(definition.name)} must be alphanumeric`);
  return Object.freeze({
    name: definition.name,
    contentType: definition.contentType,
    async prepare(context: RequestContext, subjectId: string): Promise<PreparedDocument | null> {
      const subject = await definition.load(context, subjectId);
      if (subject === null) return null;
      if (!(await definition.mayRead(context, subject))) return null;
      return {
        fileName: definition.fileName(subject),
        render: async () => definition.render(context, subject),
      };
    },
  });
}

export interface DocumentRegistry {
  get(name: string): DocumentKind | undefined;
  readonly kinds: readonly DocumentKind[];
}

export function createDocumentRegistry(kinds: readonly DocumentKind[]): DocumentRegistry {
  const byName = new Map<string, DocumentKind>();
  for (const kind of kinds) {
    if (byName.has(kind.name)) throw new Error(`Document kind ${kind.name} is registered twice`);
    byName.set(kind.name, kind);
  }
  return { get: (name) => byName.get(name), kinds: [...kinds] };
}

/**
 * Issuing document links (api.md "Document links"): a PocoDocumentLink for
 * the request's viewer, valid 15 minutes from the request's time, pointing
 * at PUBLIC_BASE_URL + /documents/<token>.
 */
import type { Viewer } from '../graphql/context';
import type { DocumentKind } from './kind';
import type { DocumentTokenCodec } from './token';

/** api.md: links expire 15 minutes after they were issued. */
export const DOCUMENT_LINK_TTL_MS = 15 * 60 * 1000;
export const DOCUMENTS_PATH = '/documents/';

/** The value of the GraphQL type PocoDocumentLink. */
export interface DocumentLinkValue {
  url: string;
  contentType: string;
  expiresAt: Date;
}

/** Per request: links for this request's viewer. */
export interface DocumentLinks {
  /**
   * A link to `kind`'s document about `subjectId`, for the viewer. The caller
   * has already decided the viewer may read the subject; the download checks
   * again when it is opened. Throws for an anonymous viewer (a bug: personal
   * fields answer UNAUTHENTICATED before getting here).
   */
  link(kind: DocumentKind, subjectId: string): DocumentLinkValue;
}

export interface DocumentLinkIssuer {
  forRequest(viewer: Viewer, now: Date): DocumentLinks;
}

/** `baseUrl` is read per link: without PUBLIC_BASE_URL it is known only once the server listens. */
export function createDocumentLinkIssuer(codec: DocumentTokenCodec, baseUrl: () => string): DocumentLinkIssuer {
  return {
    forRequest(viewer, now) {
      return {
        link(kind, subjectId) {
          if (viewer.kind !== 'user') throw new Error('Document links are issued to signed-in viewers only');
          const expiresAt = new Date(now.getTime() + DOCUMENT_LINK_TTL_MS);
          const token = codec.seal({ kind: kind.name, subject: subjectId, sub: viewer.userId, scopes: [...viewer.scopes], expiresAt });
          return { url: `${baseUrl()}${DOCUMENTS_PATH}${token}`, contentType: kind.contentType, expiresAt };
        },
      };
    },
  };
}

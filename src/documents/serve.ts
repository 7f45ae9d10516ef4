/**
 * GET /documents/<token> (runtime.md): opens a document link.
 *
 * Order of checks, each answering without a hint of what the token named:
 * not a token of ours (tampered, foreign, unknown kind) → 404; expired (by the
 * service clock) → 410; the subject is gone or the viewer named in the link may
 * no longer read it → 404; else the document, made now from the data as it is now.
 * Every answer is `Cache-Control: private, no-store`: a document is personal
 * data and a link a short-lived credential.
 *
 * Logs and metrics name the kind and the outcome, never the token, the
 * subject or the viewer.
 */
import { Readable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { viewerFromPayload } from '../auth/viewer';
import { ErrorCode } from '../errors';
import type { ViewerContextFactory } from '../graphql/createContext';
import { isDatabaseUnavailable, INTERNAL_ERROR_MESSAGE, UNAVAILABLE_ERROR_MESSAGE } from '../plugins/errorMasking';
import type { Clock } from '../shared/clock';
import { sendError } from '../http/responses';
import { DocumentBusyError, type DocumentBody, type DocumentKind, type DocumentRegistry } from './kind';
import { UNKNOWN_KIND, type DocumentMetrics, type DocumentOutcome } from './metrics';
import type { DocumentTokenCodec } from './token';

/** Error codes of the document route (HTTP answers, not GraphQL ones). */
export const DOCUMENT_NOT_FOUND = 'NOT_FOUND';
export const DOCUMENT_LINK_EXPIRED = 'LINK_EXPIRED';

const NO_STORE = {
  'cache-control': 'private, no-store',
  // The token is in the URL: never hand it on to another site.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export interface DocumentServerOptions {
  readonly codec: DocumentTokenCodec;
  readonly registry: DocumentRegistry;
  readonly clock: Clock;
  readonly contextFor: ViewerContextFactory;
  readonly metrics: DocumentMetrics;
  readonly logger: Logger;
}

export type DocumentServer = (res: ServerResponse, token: string, requestId: string) => Promise<void>;

/** A file name safe inside a quoted Content-Disposition parameter (the kinds make ASCII names anyway). */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return safe === '' ? 'document' : safe;
}

function headerContentType(kind: DocumentKind): string {
  return kind.contentType === 'application/json' ? 'application/json; charset=utf-8' : kind.contentType;
}

export function createDocumentServer(options: DocumentServerOptions): DocumentServer {
  const { codec, registry, clock, contextFor, metrics, logger } = options;

  return async (res, token, requestId) => {
    const started = process.hrtime.bigint();
    let kindLabel = UNKNOWN_KIND;
    const finish = (outcome: DocumentOutcome, extra: Record<string, unknown> = {}): void => {
      metrics.downloads.inc({ kind: kindLabel, outcome });
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      const level = outcome === 'failed' ? 'error' : outcome === 'unavailable' ? 'warn' : 'info';
      logger[level]({ requestId, kind: kindLabel, outcome, status: res.statusCode, durationMs, ...extra }, 'document request');
    };

    const claims = codec.open(token);
    const kind = claims === undefined ? undefined : registry.get(claims.kind);
    if (claims === undefined || kind === undefined) {
      sendError(res, 404, DOCUMENT_NOT_FOUND, 'No document here.', requestId, NO_STORE);
      return finish('not_found');
    }
    kindLabel = kind.name;
    const now = clock();
    if (now.getTime() >= claims.expiresAt.getTime()) {
      sendError(res, 410, DOCUMENT_LINK_EXPIRED, 'This document link has expired; ask for a new one.', requestId, NO_STORE);
      return finish('expired');
    }
    const viewer = viewerFromPayload({ sub: claims.sub, scope: claims.scopes.join(' ') });
    if (viewer === undefined) {
      sendError(res, 404, DOCUMENT_NOT_FOUND, 'No document here.', requestId, NO_STORE);
      return finish('not_found');
    }

    let body: DocumentBody;
    let fileName: string;
    let renderSeconds: number;
    try {
      const prepared = await kind.prepare(contextFor(requestId, viewer), claims.subject);
      if (prepared === null) {
        sendError(res, 404, DOCUMENT_NOT_FOUND, 'No document here.', requestId, NO_STORE);
        return finish('unreadable');
      }
      fileName = safeFileName(prepared.fileName);
      const renderStarted = process.hrtime.bigint();
      body = await prepared.render();
      renderSeconds = Number(process.hrtime.bigint() - renderStarted) / 1e9;
    } catch (error) {
      if (error instanceof DocumentBusyError) {
        sendError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, 'Too many documents are being made right now; try again in a moment.', requestId, { ...NO_STORE, 'retry-after': '2' });
        return finish('busy');
      }
      if (isDatabaseUnavailable(error)) {
        sendError(res, 503, ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE_ERROR_MESSAGE, requestId, { ...NO_STORE, 'retry-after': '1' });
        return finish('unavailable');
      }
      sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE, requestId, NO_STORE);
      return finish('failed', { err: error });
    }

    metrics.renderDuration.observe({ kind: kind.name }, renderSeconds);
    const headers: Record<string, string | number> = {
      ...NO_STORE,
      'content-type': headerContentType(kind),
      'content-disposition': `attachment; filename="${fileName}"`,
    };
    if (body instanceof Readable) {
      res.writeHead(200, headers);
      await new Promise<void>((resolve) => {
        body.once('error', (error) => {
          // Headers are gone: the only honest signal left is a cut connection.
          logger.error({ requestId, kind: kind.name, err: error }, 'document stream failed');
          res.destroy();
          resolve();
        });
        res.once('close', resolve);
        body.pipe(res);
      });
      return finish(res.writableFinished ? 'served' : 'failed', { renderMs: Math.round(renderSeconds * 10_000) / 10 });
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(200, { ...headers, 'content-length': bytes.byteLength });
    res.end(bytes);
    return finish('served', { bytes: bytes.byteLength, renderMs: Math.round(renderSeconds * 10_000) / 10 });
  };
}

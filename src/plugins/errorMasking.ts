/**
 * What clients see of errors (api.md "Errors"). Errors raised on purpose
 * (a GraphQLError carrying a code: UNAUTHENTICATED, BAD_USER_INPUT, parse and
 * validation failures, ...) pass through unchanged. Everything else is
 * unexpected: the client gets a generic message, a code and the request id,
 * never the original message, stack, driver text or query; the original goes
 * to the log under the same request id.
 *
 * A database that cannot be reached or answers too slowly is not a bug of
 * ours: it becomes SERVICE_UNAVAILABLE (retryable) instead of
 * INTERNAL_SERVER_ERROR.
 */
import { types } from 'node:util';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors';
import { currentRequestId } from '../http/requestScope';

/** Driver errors that mean "the database is not reachable (in time)", by class name. */
const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoOperationTimeoutError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoServerClosedError',
]);

/**
 * Server error codes with the same meaning: time limits (MaxTimeMSExpired,
 * ExceededTimeLimit), shutdowns and elections, network trouble between nodes.
 */
const UNAVAILABLE_SERVER_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** An Error, also one made in another realm (node core errors under jest's vm). */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (isError(current) && chain.length < 8) {
    chain.push(current);
    current = current instanceof GraphQLError ? (current.originalError ?? current.cause) : current.cause;
  }
  return chain;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return causesOf(error).some((cause) => {
    if (!isError(cause)) return false;
    if (UNAVAILABLE_ERROR_NAMES.has(cause.name)) return true;
    const code = (cause as { code?: unknown }).code;
    return cause.name === 'MongoServerError' && typeof code === 'number' && UNAVAILABLE_SERVER_CODES.has(code);
  });
}

/**
 * A GraphQLError someone created on purpose, with a code of its own: ours,
 * graphql-js's and Apollo's (which wrap graphql-js errors, never crashes).
 */
function isDeliberate(original: unknown, formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return (
    original instanceof GraphQLError &&
    (original.originalError === undefined || original.originalError instanceof GraphQLError) &&
    typeof code === 'string' &&
    code !== ErrorCode.INTERNAL_SERVER_ERROR
  );
}

export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. Quote the requestId when you report it.';
export const UNAVAILABLE_ERROR_MESSAGE = 'POCO history is unavailable right now; try again shortly.';

/** Apollo's `formatError`: passes deliberate errors, masks the rest and logs them. */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isDeliberate(original, formatted)) {
      // Nothing but message, locations, path and extensions (never a stack trace).
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const requestId = currentRequestId();
    const code = isDatabaseUnavailable(original) ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR;
    const logged = isError(original) ? original : new Error(String(original));
    logger[code === ErrorCode.SERVICE_UNAVAILABLE ? 'warn' : 'error'](
      { err: logged, requestId, code, path: formatted.path },
      code === ErrorCode.SERVICE_UNAVAILABLE ? 'database unavailable while answering a request' : 'unexpected error',
    );
    return {
      message: code === ErrorCode.SERVICE_UNAVAILABLE ? UNAVAILABLE_ERROR_MESSAGE : INTERNAL_ERROR_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code, ...(requestId !== undefined ? { requestId } : {}) },
    };
  };
}

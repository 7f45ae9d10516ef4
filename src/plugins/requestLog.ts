/**
 * One log line for every GraphQL request (the request metrics are
 * src/plugins/metrics.ts's): request id,
 * operation name, duration, outcome and the error codes of the response.
 * Never the query text, variables or anything from the token: those can hold
 * personal data.
 *
 * The outcome is read from the response as sent (after error masking):
 * - success: data and no errors;
 * - partial: data with errors (e.g. one `_entities` item the caller may not read);
 * - rejected: refused before execution (parse, validation, limits), no data;
 * - error: executed, but no data.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { currentRequestId } from '../http/requestScope';

const MAX_LOGGED_NAME = 100;
const MAX_LOGGED_CODES = 20;

export type RequestOutcome = 'success' | 'partial' | 'error' | 'rejected';

export function requestOutcome(hasData: boolean, errors: readonly GraphQLFormattedError[] | undefined, executed: boolean): RequestOutcome {
  const failed = (errors?.length ?? 0) > 0;
  if (!failed) return 'success';
  if (hasData) return 'partial';
  return executed ? 'error' : 'rejected';
}

/** The distinct error codes of a response, in order of appearance. */
export function errorCodes(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  const codes = new Set<string>();
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    codes.add(typeof code === 'string' ? code : 'UNKNOWN');
    if (codes.size >= MAX_LOGGED_CODES) break;
  }
  return [...codes];
}

export function requestLogPlugin(logger: Logger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart(requestContext) {
      const started = process.hrtime.bigint();
      const requestId = currentRequestId() ?? (requestContext.contextValue as { requestId?: unknown }).requestId;
      let executed = false;
      return {
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse({ response, operationName, request }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const body = response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const hasData = result.data !== undefined && result.data !== null;
          const outcome = requestOutcome(hasData, result.errors, executed);
          const codes = errorCodes(result.errors);
          const name = operationName ?? request.operationName ?? null;
          logger[outcome === 'error' ? 'warn' : 'info'](
            {
              requestId,
              operationName: name === null ? null : name.slice(0, MAX_LOGGED_NAME),
              durationMs: Math.round(seconds * 10_000) / 10,
              outcome,
              ...(codes.length > 0 ? { errorCodes: codes } : {}),
              status: response.http.status ?? 200,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

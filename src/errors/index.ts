/**
 * Every error code the API answers with (api.md "Errors"), and the
 * constructors for the ones resolvers raise on purpose. Anything else that
 * escapes a resolver is unexpected: it is masked to INTERNAL_SERVER_ERROR
 * with a request id (see the error-masking plugin).
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Sign in to read POCO history: send a valid bearer token.', {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });
}

export function forbidden(message = 'You may read only your own POCO history.'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.FORBIDDEN },
  });
}

/** A bad argument: the message says what is wrong, `argumentName` names the argument. */
export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argumentName ? { argumentName } : {}) },
  });
}

/** A support or privacy action naming an account that does not exist (api.md "Scopes"): nothing changed. */
export function noSuchAccount(): GraphQLError {
  return badUserInput('No POCO account has this `accountId`.', 'accountId');
}

export function queryTooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });
}

export function serviceUnavailable(): GraphQLError {
  return new GraphQLError('POCO history is unavailable right now; try again shortly.', {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
  });
}

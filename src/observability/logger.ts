/**
 * The service's structured JSON logger (pino). One line per event, with the
 * request id where there is one.
 *
 * Never in a log line: bearer tokens, the router's shared secret, cookies, or
 * personal data (emails, names, addresses, query variables). Redaction covers
 * the places such values could reach by accident (a header object, an error's
 * request, variables); the request log itself only ever writes ids, names,
 * durations and error codes.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever a log call passes them. */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'headers["x-router-secret"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-router-secret"]',
  'request.headers.authorization',
  'token',
  'password',
  'secret',
  'variables',
  'request.variables',
  'email',
  '*.email',
  'mongodbUri',
];

export interface LoggerSettings {
  readonly level: string;
  /** Where lines go; standard output by default (tests pass a stream to read them). */
  readonly destination?: pino.DestinationStream;
  /** Fields on every line, e.g. `{ service: 'poco-legacy-subgraph' }`. */
  readonly base?: Record<string, unknown>;
}

export function createServiceLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'poco-legacy-subgraph', ...settings.base },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names instead of numbers: what log pipelines and people read.
    formatters: { level: (label) => ({ level: label }) },
    // An Error passed as `err` keeps its type and message; stacks stay in the server log only.
    serializers: { err: pino.stdSerializers.err },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

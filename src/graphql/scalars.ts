/**
 * The custom scalars of schema.graphql (api.md "Scalars and money").
 *
 * - `DateTime` is a JavaScript `Date` inside the service and the exact
 *   `Date.prototype.toISOString()` text on the wire. Arguments accept any
 *   ISO-8601 date-time that names its offset (`Z` or `+02:00`): a time
 *   without an offset would silently depend on the server's zone.
 * - `Decimal` is a canonical decimal string inside and out: no exponent, no
 *   grouping. Resolvers format money themselves (minor units => "279.00").
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badUserInput } from '../errors';

const scalarInputError = (message: string) => badUserInput(message);

/**
 * `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or `±HH:MM`. Written out
 * here because `Date.parse` accepts far more (and reads offset-less times in
 * the server's zone), and temporal-polyfill is ESM-only in this CommonJS build.
 */
const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0); // day 0 of the next month = the month's last day
  return date.getUTCDate();
}

/** Parses an ISO-8601 date-time with `Z` or an offset; undefined when it is not one. */
export function parseDateTime(text: string): Date | undefined {
  const match = DATE_TIME_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (!zulu) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Milliseconds precision: finer digits are truncated, as Date cannot hold them.
  const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  const epoch = utc.getTime() - offsetMinutes * 60_000;
  const date = new Date(epoch);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function dateTimeFromInput(value: unknown): Date {
  if (typeof value !== 'string') {
    throw scalarInputError('DateTime must be an ISO-8601 string such as "2023-05-01T09:22:33.000Z".');
  }
  const date = parseDateTime(value);
  if (!date) {
    throw scalarInputError(
      `DateTime must be an ISO-8601 date-time with "Z" or an offset, such as "2023-05-01T09:22:33.000Z"; got ${JSON.stringify(value.slice(0, 64))}.`,
    );
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant in time: ISO-8601 in UTC with milliseconds and `Z`, as `Date.prototype.toISOString()` prints it.',
  serialize(value: unknown): string {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    // A resolver handed something else: a bug, masked as an internal error.
    throw new TypeError(`DateTime cannot serialize ${Object.prototype.toString.call(value)}`);
  },
  parseValue: dateTimeFromInput,
  parseLiteral(ast: ValueNode): Date {
    if (ast.kind !== Kind.STRING) {
      throw scalarInputError('DateTime must be an ISO-8601 string such as "2023-05-01T09:22:33.000Z".');
    }
    return dateTimeFromInput(ast.value);
  },
});

/** A canonical-looking decimal: optional minus, digits, optional fraction; no exponent, no grouping. */
const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export function isDecimalString(text: string): boolean {
  return text.length <= 64 && DECIMAL_PATTERN.test(text);
}

function decimalFromInput(value: unknown): string {
  if (typeof value !== 'string' || !isDecimalString(value)) {
    throw scalarInputError('Decimal must be a string of digits with an optional "-" and fraction, such as "12.5".');
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'A decimal number as a string: no exponent, no digit grouping, e.g. `"12.5"` or `"279.00"`.',
  serialize(value: unknown): string {
    if (typeof value === 'string' && isDecimalString(value)) return value;
    throw new TypeError(`Decimal cannot serialize ${JSON.stringify(value)}`);
  },
  parseValue: decimalFromInput,
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) {
      throw scalarInputError('Decimal must be a string such as "12.5".');
    }
    return decimalFromInput(ast.value);
  },
});

/** For the resolver map: `{ ...scalarResolvers }`. */
export const scalarResolvers = {
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
} as const;

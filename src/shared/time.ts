/**
 * Timestamps of the POCO exports (poco-export-format.md, quirk 1), read into
 * UTC instants:
 * - ISO-8601 with `Z` or an offset ("2024-03-31T01:30:00+01:00");
 * - "YYYY-MM-DD HH:mm:ss" without a zone: the wall-clock time of the record's
 *   store. Around daylight-saving changes a repeated wall-clock time is the
 *   earlier instant and a nonexistent one is moved forward by the gap, which is
 *   Temporal's `disambiguation: 'compatible'` (RFC 5545 behaviour);
 * - an integer of epoch milliseconds (a JSON number, or a string of digits).
 *
 * Why not temporal-polyfill: it is ESM-only, and this CommonJS build's jest
 * cannot load it. Zone offsets come from ICU through Intl.DateTimeFormat, and
 * the 'compatible' disambiguation is the few lines in `wallClockToEpoch`
 * (tests pin it against instants computed with Temporal).
 */
import type { PocoStore } from './codes';
import { describe } from './decimal';
import { NumberText } from './numberText';
import { invalid, outOfRange, parsed, type ParseResult } from './parseResult';

/** The IANA zone whose wall clock a store's exports wrote. */
export function zoneOfStore(store: PocoStore): string {
  switch (store) {
    case 'GLOBAL':
      return 'UTC';
    case 'UK':
      return 'Europe/London';
    case 'FR':
      return 'Europe/Paris';
    case 'DE':
      return 'Europe/Berlin';
    case 'ES':
      return 'Europe/Madrid';
    case 'IT':
      return 'Europe/Rome';
    case 'PL':
      return 'Europe/Warsaw';
    default: {
      const unknown: never = store;
      throw new Error(`No time zone known for store ${String(unknown)}`);
    }
  }
}

/**
 * The instants a POCO record can plausibly carry. Anything outside is a broken
 * export (an epoch of 0, seconds taken for milliseconds, a year 20240), not a
 * date to keep.
 */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);
export const LATEST_INSTANT = Date.UTC(2100, 0, 1);

const ISO_WITH_ZONE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const WALL_CLOCK = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The fields of a local date-time as milliseconds of a UTC clock; throws on impossible values (Feb 30, 25:00). */
function localMillis(date: string, hh: string, mm: string, ss: string, fraction: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const hour = Number(hh);
  const minute = Number(mm);
  const second = Number(ss);
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3) || '0');
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(epoch);
  if (
    month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 ||
    check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day
  ) {
    throw new Error(`${date} ${hh}:${mm}:${ss} does not exist in the calendar`);
  }
  return epoch;
}

/** "Z", "+01:00", "+0100" or "+01" as milliseconds east of UTC. */
function offsetMillisOf(zoneText: string): number {
  if (zoneText.toUpperCase() === 'Z') return 0;
  const sign = zoneText.startsWith('-') ? -1 : 1;
  const digits = zoneText.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) throw new Error(`offset ${zoneText} is out of range`);
  return sign * (hours * 60 + minutes) * MINUTE;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Offsets per zone and quarter hour: formatToParts costs microseconds and an
 * export has millions of timestamps. A quarter hour whose two ends have the
 * same offset has it throughout (zones change offset at most once in a quarter
 * hour, always on its boundary in the store zones); one that straddles a change
 * is computed exactly every time. Cleared when large, so memory stays bounded.
 */
const QUARTER_HOUR = 15 * MINUTE;
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC at an instant, in milliseconds (ICU's tz data). */
export function zoneOffsetAt(zone: string, epochMillis: number): number {
  const bucket = Math.floor(epochMillis / QUARTER_HOUR);
  const key = `${zone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const start = exactZoneOffsetAt(zone, bucket * QUARTER_HOUR);
  const end = exactZoneOffsetAt(zone, (bucket + 1) * QUARTER_HOUR - 1000);
  if (start !== end) return exactZoneOffsetAt(zone, epochMillis);
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, start);
  return start;
}

function exactZoneOffsetAt(zone: string, epochMillis: number): number {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(epochMillis))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const truncated = epochMillis - (((epochMillis % 1000) + 1000) % 1000);
  return asUtc - truncated;
}

/**
 * The instant of a wall-clock time in a zone, disambiguated like Temporal's
 * 'compatible': of two instants showing that wall clock (clocks went back)
 * the earlier; when none does (clocks went forward) the wall clock read with
 * the offset before the change, i.e. moved forward by the gap. Assumes at
 * most one offset change within a day of the time, true of every store zone.
 */
export function wallClockToEpoch(wallMillis: number, zone: string): number {
  const before = zoneOffsetAt(zone, wallMillis - DAY);
  const after = zoneOffsetAt(zone, wallMillis + DAY);
  const candidates = [...new Set([before, after])]
    .map((offset) => wallMillis - offset)
    .filter((epoch) => wallMillis - zoneOffsetAt(zone, epoch) === epoch)
    .sort((a, b) => a - b);
  return candidates[0] ?? wallMillis - before;
}
const EPOCH_DIGITS = /^-?\d{1,16}$/;

export function parseTimestamp(value: unknown, zone: string): ParseResult<Date> {
  if (typeof value === 'number') return fromEpochMillis(value, String(value));
  if (value instanceof NumberText) return invalid(`${value.text} is not an integer of epoch milliseconds`);
  if (typeof value !== 'string') return invalid(`expected a timestamp, got ${describe(value)}`);

  const text = value.trim();
  if (EPOCH_DIGITS.test(text)) return fromEpochMillis(Number(text), text);
  try {
    const iso = ISO_WITH_ZONE.exec(text);
    if (iso) {
      const [, date = '', hh = '', mm = '', ss = '00', fraction = '', zoneText = 'Z'] = iso;
      const local = localMillis(date, hh, mm, ss, fraction);
      return inRange(new Date(local - offsetMillisOf(zoneText)), text);
    }
    const wall = WALL_CLOCK.exec(text);
    if (wall) {
      const [, date = '', hh = '', mm = '', ss = ''] = wall;
      return inRange(new Date(wallClockToEpoch(localMillis(date, hh, mm, ss, ''), zone)), text);
    }
  } catch (error) {
    return invalid(`"${text}" is not a valid date and time: ${(error as Error).message}`);
  }
  return invalid(
    `"${text}" is not a timestamp (ISO-8601 with Z or an offset, "YYYY-MM-DD HH:mm:ss", or epoch milliseconds)`,
  );
}

function fromEpochMillis(millis: number, text: string): ParseResult<Date> {
  if (!Number.isSafeInteger(millis)) return invalid(`${text} is not an integer of epoch milliseconds`);
  return inRange(new Date(millis), text);
}

function inRange(date: Date, text: string): ParseResult<Date> {
  const millis = date.getTime();
  if (Number.isNaN(millis) || millis < EARLIEST_INSTANT || millis >= LATEST_INSTANT) {
    return outOfRange(`${text} is outside 1990-01-01..2100-01-01`);
  }
  return parsed(date);
}

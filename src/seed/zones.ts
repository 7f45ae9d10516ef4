/**
 * Store wall-clock time <-> instant, with Intl's time-zone database.
 *
 * Written for the generator on its own (not the importer's parser), so the
 * seed's expectations are an independent reading of the format's rule: a
 * wall-clock time that occurs twice is the earlier instant; one that does not
 * exist is moved forward by the gap. (temporal-polyfill is ESM-only and the
 * project is CommonJS, so it is not used here.)
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading of `ms` in `timeZone`, as milliseconds of a UTC date with the same fields. */
function wallMillisAt(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const get = (name: string): number => fields[name] ?? 0;
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) + (ms % 1000);
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds. */
export function offsetAt(ms: number, timeZone: string): number {
  return wallMillisAt(ms, timeZone) - ms;
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** `YYYY-MM-DD HH:mm:ss` of a wall-clock reading kept as UTC-date milliseconds. */
function wallText(wall: number): string {
  return new Date(wall).toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD HH:mm:ss` of `ms` in `timeZone`. */
export function wallClockText(ms: number, timeZone: string): string {
  return wallText(wallMillisAt(ms, timeZone));
}

/** ISO-8601 with the zone's offset at that instant, e.g. `2021-05-03T12:15:30+02:00`. */
export function isoWithOffset(ms: number, timeZone: string): string {
  const offset = offsetAt(ms, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${wallText(ms + offset).replace(' ', 'T')}${sign}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The instant a store wall-clock text denotes (earlier of a repeated time; skipped times moved forward by the gap). */
export function instantOfWallClock(text: string, timeZone: string): number {
  const match = WALL_CLOCK.exec(text);
  if (!match) throw new Error(`not a wall-clock time: ${text}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Offsets a day either side bracket any single DST change.
  const before = wall - offsetAt(wall - 86_400_000, timeZone);
  const after = wall - offsetAt(wall + 86_400_000, timeZone);
  const valid = [before, after].filter((instant) => wallMillisAt(instant, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: read with the offset in force before it, which lands after the gap.
  return before;
}

/** Last Sunday of `month` (1-12) of `year`, as `YYYY-MM-DD`: the day Europe changes its clocks. */
export function lastSundayOf(year: number, month: number): string {
  const lastDay = new Date(Date.UTC(year, month, 0));
  lastDay.setUTCDate(lastDay.getUTCDate() - lastDay.getUTCDay());
  return lastDay.toISOString().slice(0, 10);
}

/**
 * Turns clean values into the messy text the old POCO systems exported
 * (poco-export-format.md, "Quirks"), and counts every quirk it writes so the
 * manifest can say what a run contains.
 *
 * Every rendering is lossless under the format's rules: a quirky value always
 * normalises back to the clean value it came from. A wall-clock time that would
 * not (the second pass through a repeated hour) is written as ISO instead, and
 * the deliberate DST cases are built from the wall-clock text (see dstStamp).
 */
import type { PocoStore } from '../shared/codes';
import { STORES } from './catalog';
import type { Rng } from './random';
import { instantOfWallClock, isoWithOffset, lastSundayOf, wallClockText } from './zones';

/** A point in time, whole seconds; `wall` forces it to be written as that store wall-clock text. */
export interface Stamp {
  readonly ms: number;
  readonly wall?: string;
}

export const QUIRKS = [
  'timestamp_iso_offset',
  'timestamp_wall_clock',
  'timestamp_wall_clock_dst_repeated',
  'timestamp_wall_clock_dst_skipped',
  'timestamp_epoch_ms',
  'money_number',
  'money_string',
  'money_decimal_comma',
  'code_case',
  'store_gb',
  'status_closed',
  'status_canceled',
  'email_messy',
  'points_positive_sign',
  'events_shuffled',
  'ledger_lines_shuffled',
  'repeated_unchanged',
  'repeated_changed',
  'blank_line',
  'gzip_file',
  'missing_optional_fields',
] as const;
export type Quirk = (typeof QUIRKS)[number];
export type QuirkCounts = Record<Quirk, number>;

export function emptyQuirkCounts(): QuirkCounts {
  return Object.fromEntries(QUIRKS.map((quirk) => [quirk, 0])) as QuirkCounts;
}

/** How often a value is written in one of its unusual forms. */
export const QUIRK_RATE = 0.04;

/**
 * A wall-clock time inside a daylight-saving change of `store`'s zone in
 * `year`: the hour that happens twice (last Sunday of October) or never (last
 * Sunday of March). The instant is what the format's rule makes of the text.
 * Undefined for stores without DST (GLOBAL = UTC).
 */
export function dstStamp(rng: Rng, store: PocoStore, year: number, kind: 'repeated' | 'skipped'): Stamp | undefined {
  const timeZone = STORES[store].timeZone;
  if (timeZone === 'UTC') return undefined;
  const lastSunday = lastSundayOf(year, kind === 'repeated' ? 10 : 3);
  // Europe/London changes at 01:00 local time, the continental zones at 02:00.
  const hour = timeZone === 'Europe/London' ? 1 : 2;
  const wall = `${lastSunday} 0${hour}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return { ms: instantOfWallClock(wall, timeZone), wall };
}

export class Renderer {
  constructor(
    private readonly rng: Rng,
    readonly counts: QuirkCounts,
  ) {}

  count(quirk: Quirk, times = 1): void {
    this.counts[quirk] += times;
  }

  /** A timestamp of a record of `store`: ISO `Z` mostly, sometimes an offset, store wall-clock or epoch ms. */
  timestamp(stamp: Stamp, store: PocoStore): string | number {
    const timeZone = STORES[store].timeZone;
    if (stamp.wall !== undefined) {
      const dst = stamp.wall.includes('-10-') ? 'timestamp_wall_clock_dst_repeated' : 'timestamp_wall_clock_dst_skipped';
      this.count(dst);
      return stamp.wall;
    }
    if (!this.rng.chance(QUIRK_RATE * 3)) {
      const iso = new Date(stamp.ms).toISOString();
      // Most systems wrote whole seconds; some kept the milliseconds.
      return this.rng.chance(0.8) ? iso.replace('.000Z', 'Z') : iso;
    }
    switch (this.rng.int(0, 2)) {
      case 0: {
        // The store's own offset, or the offset of the head office's servers.
        const zone = this.rng.chance(0.7) ? timeZone : 'Asia/Shanghai';
        this.count('timestamp_iso_offset');
        return isoWithOffset(stamp.ms, zone);
      }
      case 1: {
        const wall = wallClockText(stamp.ms, timeZone);
        if (instantOfWallClock(wall, timeZone) !== stamp.ms) {
          // Second pass through a repeated hour: the text would mean the earlier instant.
          return new Date(stamp.ms).toISOString();
        }
        this.count('timestamp_wall_clock');
        return wall;
      }
      default:
        this.count('timestamp_epoch_ms');
        return stamp.ms;
    }
  }

  /** Optional timestamp: null stays null. */
  maybeTimestamp(stamp: Stamp | null, store: PocoStore): string | number | null {
    return stamp === null ? null : this.timestamp(stamp, store);
  }

  /** Money in minor units as a JSON number or a string, with a decimal comma in places. */
  money(minor: number, store: PocoStore): number | string {
    const roll = this.rng.int(0, 99);
    const commaStore = STORES[store].decimalComma;
    const text = (minor / 100).toFixed(2);
    if (roll < 70) {
      this.count('money_number');
      return minor / 100;
    }
    if (roll < (commaStore ? 85 : 97)) {
      this.count('money_string');
      // Some systems dropped trailing zeros ("12.5"), others kept them.
      return this.rng.chance(0.5) ? text : String(minor / 100);
    }
    this.count('money_decimal_comma');
    return text.replace('.', ',');
  }

  /** A code in the export's usual lower case, sometimes upper or mixed case. */
  code(lower: string): string {
    if (!this.rng.chance(QUIRK_RATE)) return lower;
    this.count('code_case');
    return this.rng.chance(0.5) ? lower.toUpperCase() : lower.charAt(0).toUpperCase() + lower.slice(1);
  }

  /** A store code: upper case usually, any case sometimes, and `gb` for UK. */
  store(store: PocoStore): string {
    if (store === 'UK' && this.rng.chance(QUIRK_RATE * 2)) {
      this.count('store_gb');
      return this.rng.chance(0.5) ? 'gb' : 'GB';
    }
    if (!this.rng.chance(QUIRK_RATE)) return store;
    this.count('code_case');
    return this.rng.chance(0.5) ? store.toLowerCase() : store.charAt(0) + store.slice(1).toLowerCase();
  }

  currency(currency: string): string {
    if (!this.rng.chance(QUIRK_RATE)) return currency;
    this.count('code_case');
    return currency.toLowerCase();
  }

  /** Emails as typed into old forms: stray spaces and capitals, now and then. */
  email(email: string): string {
    if (!this.rng.chance(QUIRK_RATE)) return email;
    this.count('email_messy');
    switch (this.rng.int(0, 2)) {
      case 0:
        return ` ${email}`;
      case 1:
        return `${email.toUpperCase()}  `;
      default:
        return email.charAt(0).toUpperCase() + email.slice(1);
    }
  }

  /** True at the quirk rate: for one-off choices made by the record renderers. */
  rollQuirk(): boolean {
    return this.rng.chance(QUIRK_RATE);
  }

  /** Tracking events as the carriers' feeds delivered them: in no particular order. */
  shuffleEvents<T>(events: T[]): T[] {
    const shuffled = this.rng.shuffled(events);
    if (shuffled.some((event, i) => event !== events[i])) this.count('events_shuffled');
    return shuffled;
  }

  /** Points of a type that is stored negative; some ledgers exported them positive. */
  debitPoints(points: number): number {
    if (points < 0 && this.rng.chance(QUIRK_RATE * 2)) {
      this.count('points_positive_sign');
      return -points;
    }
    return points;
  }
}

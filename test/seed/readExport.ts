/**
 * Reads a generated export back, independently of the generator's code, so
 * tests can check the files against the manifest: physical lines (blank ones
 * included, gzip decompressed), which lines the format accepts, and the last
 * accepted version of every id.
 *
 * Which lines are accepted comes from the files alone, by the format's rules
 * as test/support/e2eExportOracle.ts applies them (no seed or importer code),
 * never from the generator's manifest; wall-clock times and the hours clocks
 * change come from Intl's zone data, not from src/seed. (temporal-polyfill is
 * ESM-only and this CommonJS jest build cannot load it.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ExportFile } from '../../src/seed/badLines';
import { instantOfWallClockText, readExport, wallClockFieldsOf, type ExportOracle } from '../support/e2eExportOracle';

export type Json = Record<string, unknown>;

export const ID_FIELD: Readonly<Record<ExportFile, string>> = {
  accounts: 'account_id',
  orders: 'order_id',
  coupons: 'coupon_id',
  coupon_reissues: 'coupon_id',
  points_ledger: 'entry_id',
  points_transfers: 'account_id',
  feedback: 'feedback_id',
};

export interface ExportFileContent {
  /** `accounts.ndjson`, `orders.ndjson.gz`, ... as found in the directory. */
  fileName: string;
  bytes: Buffer;
  /** Physical lines; index 0 is line 1. */
  lines: string[];
  /** Lines the format's rules accept, parsed, in file order. */
  accepted: { line: number; record: Json }[];
  /** Line numbers the format's rules reject. */
  rejected: number[];
  /** Last accepted version of each id. */
  latest: Map<string, Json>;
}

const oracles = new Map<string, ExportOracle>();

/** The independent reading of a whole export directory (read once per directory). */
export function oracleOf(dir: string): ExportOracle {
  let oracle = oracles.get(dir);
  if (!oracle) {
    oracle = readExport(dir);
    oracles.set(dir, oracle);
  }
  return oracle;
}

export function readExportFile(dir: string, file: ExportFile): ExportFileContent {
  const names = readdirSync(dir).filter((name) => name === `${file}.ndjson` || name === `${file}.ndjson.gz`);
  if (names.length !== 1) throw new Error(`expected one ${file}.ndjson[.gz] in ${dir}, found ${JSON.stringify(names)}`);
  const fileName = names[0]!;
  const bytes = readFileSync(join(dir, fileName));
  const text = (fileName.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const rejectedHere = new Set(
    [...oracleOf(dir).rejected.keys()].filter((key) => key.startsWith(`${fileName}:`)).map((key) => Number(key.slice(fileName.length + 1))),
  );
  const accepted: { line: number; record: Json }[] = [];
  const latest = new Map<string, Json>();
  lines.forEach((line, index) => {
    if (line.trim() === '' || rejectedHere.has(index + 1)) return;
    const record = JSON.parse(line.replace(/^\uFEFF/, '')) as Json;
    accepted.push({ line: index + 1, record });
    latest.set(String(record[ID_FIELD[file]]), record);
  });
  return { fileName, bytes, lines, accepted, rejected: [...rejectedHere].sort((a, b) => a - b), latest };
}

/**
 * A `YYYY-MM-DD HH:mm:ss` wall-clock time of `timeZone` as epoch milliseconds
 * (quirk 1: a time that occurs twice is the earlier instant, one that does not
 * exist is moved forward by the gap), by the oracle's Intl-based reading.
 */
export const instantOfWallClock = instantOfWallClockText;

const offsetAt = (instant: number, timeZone: string): number => wallClockFieldsOf(instant, timeZone) - instant;

/**
 * The local hour that the clock change of `month` (1-12) of `year` repeats
 * (clocks back) or skips (clocks forward) in `timeZone`, as `YYYY-MM-DD HH`;
 * undefined when the zone's offset does not change that month. Found from
 * Intl's zone data alone: the day the offset changes, the instant by bisection.
 */
export function clockChangeHour(year: number, month: number, timeZone: string): string | undefined {
  const key = `${year}-${month}-${timeZone}`;
  if (!clockChanges.has(key)) clockChanges.set(key, findClockChangeHour(year, month, timeZone));
  return clockChanges.get(key);
}

const clockChanges = new Map<string, string | undefined>();

function findClockChangeHour(year: number, month: number, timeZone: string): string | undefined {
  const DAY = 86_400_000;
  let from = Date.UTC(year, month - 1, 1);
  const end = Date.UTC(year, month, 1);
  while (from < end && offsetAt(from, timeZone) === offsetAt(from + DAY, timeZone)) from += DAY;
  if (from >= end) return undefined;
  let [low, high] = [from, from + DAY];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === offsetAt(low, timeZone)) low = middle;
    else high = middle;
  }
  // `high` is the first instant of the new offset. Forward: the skipped hour reads on the old clock just
  // after the last old instant; back: the repeated hour reads on the new clock at the change. Either way the earlier.
  const reading = Math.min(wallClockFieldsOf(low, timeZone) + 1, wallClockFieldsOf(high, timeZone));
  return new Date(reading).toISOString().slice(0, 13).replace('T', ' ');
}

/** Money as the format defines it, read simply: number or string, "." or ",". */
export function minorUnits(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : String(value).trim().replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw new Error(`not an amount: ${String(value)}`);
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function formatMinor(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** Ledger points with the sign the type implies (quirk 6). */
export function signedPoints(entry: Json): number {
  const points = Number(entry.points);
  const type = String(entry.type).toLowerCase();
  return type === 'redeem' || type === 'expire' || type === 'transfer' ? -Math.abs(points) : points;
}

export function storeCode(value: unknown): string {
  const code = String(value).toUpperCase();
  return code === 'GB' ? 'UK' : code;
}

/**
 * Reads a generated export back, independently of the generator's code, so
 * tests can check the files against the manifest: physical lines (blank ones
 * included, gzip decompressed), which lines parse, and the last accepted
 * version of every id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ExportFile } from '../../src/seed/badLines';
import type { SeedManifest } from '../../src/seed/generate';

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
  bytes: Buffer;
  /** Physical lines; index 0 is line 1. */
  lines: string[];
  /** Parsed lines that are not expected rejects, in file order. */
  accepted: { line: number; record: Json }[];
  /** Last accepted version of each id. */
  latest: Map<string, Json>;
}

export function readExportFile(dir: string, manifest: SeedManifest, file: ExportFile): ExportFileContent {
  const name = manifest.files[file].fileName;
  const bytes = readFileSync(join(dir, name));
  const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const rejected = new Set(manifest.rejects.filter((reject) => reject.file === file).map((reject) => reject.line));
  const accepted: { line: number; record: Json }[] = [];
  const latest = new Map<string, Json>();
  lines.forEach((line, index) => {
    if (line === '' || rejected.has(index + 1)) return;
    const record = JSON.parse(line) as Json;
    accepted.push({ line: index + 1, record });
    latest.set(String(record[ID_FIELD[file]]), record);
  });
  return { bytes, lines, accepted, latest };
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

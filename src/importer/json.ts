/**
 * One NDJSON line into a record. JSON.parse is fast but turns `12.500` into
 * 12.5 and `1e3` into 1000, which would hide exactly what the format forbids
 * in money; so a line that may hold such a number literal is parsed with
 * lossless-json, keeping those literals as NumberText (every other number is
 * a plain JS number as usual).
 */
import { parse as parseLossless } from 'lossless-json';
import { NumberText, needsNumberText } from '../shared/numberText';
import { isJsonObject, type JsonObject } from './fields';

export type LineParse =
  | { ok: true; record: JsonObject }
  | { ok: false; reason: 'invalid_json' | 'not_an_object'; message: string };

/** A literal that may need its text: an exponent, 3+ fraction digits, or 16+ digits. May match inside strings: then we merely take the slower path. */
const SUSPICIOUS_NUMBER = /\d[eE][+-]?\d|\.\d{3}|\d{16}/;

function parseNumber(literal: string): number | NumberText {
  return needsNumberText(literal) ? new NumberText(literal) : Number(literal);
}

export function parseRecordLine(text: string): LineParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid_json', message: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isJsonObject(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, reason: 'not_an_object', message: `the line is JSON ${what}, not an object` };
  }
  if (SUSPICIOUS_NUMBER.test(text)) {
    try {
      value = parseLossless(text, null, parseNumber);
    } catch {
      // lossless-json refuses duplicate keys that JSON.parse accepts (the last wins):
      // keep JSON.parse's reading rather than rejecting a line JSON allows.
    }
  }
  return { ok: true, record: value as JsonObject };
}

/**
 * Decimal numbers as canonical strings (a points transfer `rate`, a coupon's
 * percent): no float ever holds them, so "0.0125" stays exactly that.
 *
 * Canonical form: optional "-", integer part without leading zeros, and a
 * fraction without trailing zeros ("012.50" => "12.5", "-0.0" => "0").
 */
import { NumberText } from './numberText';
import { invalid, parsed, type ParseResult } from './parseResult';

const DECIMAL = /^([+-]?)(\d+)(?:[.,](\d+))?$/;

/** Reads a decimal from a string or JSON number; "." or "," separates the fraction; no exponent. */
export function parseDecimal(value: unknown): ParseResult<string> {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (value instanceof NumberText) text = value.text;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid(`${value} is not a finite number`);
    text = String(value);
  } else return invalid(`expected a decimal number, got ${describe(value)}`);

  if (/[eE]/.test(text)) return invalid(`"${text}" has an exponent; write the decimal digits out`);
  const match = DECIMAL.exec(text);
  if (!match) return invalid(`"${text}" is not a decimal number`);
  return parsed(canonicalDecimal(match[1] === '-', match[2] ?? '0', match[3] ?? ''));
}

export function canonicalDecimal(negative: boolean, integerDigits: string, fractionDigits: string): string {
  const whole = integerDigits.replace(/^0+(?=\d)/, '');
  const fraction = fractionDigits.replace(/0+$/, '');
  const magnitude = fraction ? `${whole}.${fraction}` : whole;
  return negative && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

/** Compares two canonical decimal strings numerically: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const negA = a.startsWith('-');
  const negB = b.startsWith('-');
  if (negA !== negB) return negA ? -1 : 1;
  const sign = negA ? -1 : 1;
  const [wa = '', fa = ''] = a.replace('-', '').split('.');
  const [wb = '', fb = ''] = b.replace('-', '').split('.');
  if (wa.length !== wb.length) return sign * (wa.length < wb.length ? -1 : 1);
  if (wa !== wb) return sign * (wa < wb ? -1 : 1);
  const length = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(length, '0');
  const pb = fb.padEnd(length, '0');
  return pa === pb ? 0 : sign * (pa < pb ? -1 : 1);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof NumberText) return `the number ${value.text}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

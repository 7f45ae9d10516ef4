/**
 * Money of the POCO exports: a string or JSON number in major units with at
 * most two fraction digits, "." or "," as the decimal separator (FR/DE/ES/IT
 * systems wrote "12,50"), read into integer minor units. Never through a float:
 * the digits are parsed as text, so 0.1 + 0.2 problems cannot arise.
 *
 * Errors (poco-export-format.md, quirk 2): more than two fraction digits even
 * when zeros ("12.500"), an exponent ("1e3"), non-finite values, thousands
 * separators ("1,234.50", "1.234,50", "1 234"), anything else that is not a
 * plain decimal.
 */
import { describe } from './decimal';
import { NumberText } from './numberText';
import { invalid, outOfRange, parsed, type ParseResult } from './parseResult';

/** Minor units per major unit for every currency of the export (EUR, GBP, PLN, USD). */
const MINOR_DIGITS = 2;

/** 100 billion in major units: far beyond any POCO order, far below 2^53. */
const MAX_MINOR_UNITS = 10_000_000_000_000;

const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:[.,](\d*))?$/;

export function parseMoney(value: unknown): ParseResult<number> {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
  } else if (value instanceof NumberText) {
    text = value.text;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid(`${value} is not a finite amount`);
    // JSON.parse only hands over plain numbers whose literal had at most two
    // fraction digits and no exponent (others arrive as NumberText), so the
    // shortest round-trip string is the literal's value.
    text = String(value);
  } else {
    return invalid(`expected an amount (string or number), got ${describe(value)}`);
  }

  if (text === '') return invalid('the amount is empty');
  if (/^[+-]?(nan|infinity|inf)$/i.test(text)) return invalid(`"${text}" is not a finite amount`);
  if (/[eE]/.test(text)) return invalid(`"${text}" has an exponent; amounts are plain decimals`);
  if (/^[+-]?\d{1,3}([.,' \u00a0\u202f]\d{3})+([.,]\d+)$/.test(text) || /\d[' \u00a0\u202f]\d/.test(text)) {
    return invalid(`"${text}" has a thousands separator; amounts have none`);
  }
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) return invalid(`"${text}" is not an amount`);
  const [, sign, whole = '0', fraction] = match;
  if (fraction !== undefined && fraction.length === 0) return invalid(`"${text}" ends with a separator`);
  if (fraction !== undefined && fraction.length > MINOR_DIGITS) {
    return invalid(`"${text}" has more than ${MINOR_DIGITS} digits after the decimal separator`);
  }
  const digits = whole.replace(/^0+(?=\d)/, '') + (fraction ?? '').padEnd(MINOR_DIGITS, '0');
  if (digits.length > 16) return outOfRange(`"${text}" is too large an amount`);
  const magnitude = Number(digits);
  if (magnitude > MAX_MINOR_UNITS) return outOfRange(`"${text}" is too large an amount`);
  // Avoid -0: it would compare unequal to 0 in stored documents.
  return parsed(sign === '-' && magnitude !== 0 ? -magnitude : magnitude);
}

/** Formats integer minor units as a decimal string with two fraction digits: 1250 => "12.50". */
export function formatMinorUnits(minor: number): string {
  const negative = minor < 0;
  const digits = Math.abs(minor).toString().padStart(MINOR_DIGITS + 1, '0');
  const whole = digits.slice(0, digits.length - MINOR_DIGITS);
  return `${negative ? '-' : ''}${whole}.${digits.slice(digits.length - MINOR_DIGITS)}`;
}

/**
 * Reading the fields of one export record. Each reader either returns the
 * normalised value or throws a RecordRejection naming the field, so a record
 * normaliser reads like its table in poco-export-format.md.
 *
 * "Missing" follows the format: absent, explicit null or "" (also "   ").
 */
import { describe } from '../shared/decimal';
import { parseDecimal } from '../shared/decimal';
import { parseMoney } from '../shared/money';
import { NumberText } from '../shared/numberText';
import type { ParseResult } from '../shared/parseResult';
import { parseTimestamp } from '../shared/time';
import type { RejectReason } from './report';

export type JsonObject = { [key: string]: unknown };

export class RecordRejection extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function reject(reason: RejectReason, message: string, field?: string): never {
  throw new RecordRejection(reason, message, field);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof NumberText);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Field access on one record (or a nested object of it), with `path` naming
 * the field in rejects ("items[2].unit_price").
 */
export class Fields {
  constructor(
    private readonly record: JsonObject,
    private readonly path = '',
  ) {}

  name(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  private raw(field: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.record, field) ? this.record[field] : undefined;
  }

  has(field: string): boolean {
    return !isMissing(this.raw(field));
  }

  private required(field: string): unknown {
    const value = this.raw(field);
    if (isMissing(value)) reject('missing_field', `${this.name(field)} is required`, this.name(field));
    return value;
  }

  private check<T>(field: string, result: ParseResult<T>): T {
    if (result.ok) return result.value;
    return reject(result.reason, `${this.name(field)}: ${result.message}`, this.name(field));
  }

  private text(field: string, value: unknown): string {
    if (typeof value !== 'string') {
      return reject('invalid_value', `${this.name(field)}: expected a string, got ${describe(value)}`, this.name(field));
    }
    return value;
  }

  /** A required string, kept as exported (ids are compared exactly). */
  string(field: string): string {
    return this.text(field, this.required(field));
  }

  optionalString(field: string): string | null {
    const value = this.raw(field);
    return isMissing(value) ? null : this.text(field, value);
  }

  /** A required string read by a code parser (store, status, ...). */
  code<T>(field: string, parse: (text: string) => ParseResult<T>): T {
    return this.check(field, parse(this.string(field)));
  }

  optionalCode<T>(field: string, parse: (text: string) => ParseResult<T>): T | null {
    const text = this.optionalString(field);
    return text === null ? null : this.check(field, parse(text));
  }

  money(field: string, { allowNegative = false } = {}): number {
    return this.amount(field, this.required(field), allowNegative);
  }

  optionalMoney(field: string): number | null {
    const value = this.raw(field);
    return isMissing(value) ? null : this.amount(field, value, false);
  }

  private amount(field: string, value: unknown, allowNegative: boolean): number {
    const minor = this.check(field, parseMoney(value));
    if (minor < 0 && !allowNegative) reject('out_of_range', `${this.name(field)} must not be negative`, this.name(field));
    return minor;
  }

  decimal(field: string): string {
    return this.check(field, parseDecimal(this.required(field)));
  }

  timestamp(field: string, zone: string): Date {
    return this.check(field, parseTimestamp(this.required(field), zone));
  }

  optionalTimestamp(field: string, zone: string): Date | null {
    const value = this.raw(field);
    return isMissing(value) ? null : this.check(field, parseTimestamp(value, zone));
  }

  integer(field: string, range?: { min?: number; max?: number }): number {
    return this.toInteger(field, this.required(field), range);
  }

  optionalInteger(field: string, range?: { min?: number; max?: number }): number | null {
    const value = this.raw(field);
    return isMissing(value) ? null : this.toInteger(field, value, range);
  }

  /** Integers come as JSON integers or strings of digits ("120"); 12.0 is accepted, 12.5 and 1e3 are not. */
  private toInteger(field: string, value: unknown, range: { min?: number; max?: number } = {}): number {
    let number: number;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string' && /^\s*[+-]?\d{1,15}\s*$/.test(value)) number = Number(value);
    else return reject('invalid_value', `${this.name(field)}: expected an integer, got ${describe(value)}`, this.name(field));
    if (!Number.isSafeInteger(number)) {
      return reject('invalid_value', `${this.name(field)}: expected an integer, got ${describe(value)}`, this.name(field));
    }
    const { min = -1e12, max = 1e12 } = range;
    if (number < min || number > max) {
      return reject('out_of_range', `${this.name(field)}: ${number} is outside ${min}..${max}`, this.name(field));
    }
    return number === 0 ? 0 : number;
  }

  /** A nested object (required). */
  object(field: string): Fields {
    const value = this.required(field);
    if (!isJsonObject(value)) reject('invalid_value', `${this.name(field)}: expected an object, got ${describe(value)}`, this.name(field));
    return new Fields(value, this.name(field));
  }

  optionalObject(field: string): Fields | null {
    const value = this.raw(field);
    if (value === undefined || value === null) return null;
    if (!isJsonObject(value)) reject('invalid_value', `${this.name(field)}: expected an object, got ${describe(value)}`, this.name(field));
    return new Fields(value, this.name(field));
  }

  /** An array of objects; each element read by `read` with its own path ("items[0]"). */
  objects<T>(field: string, read: (element: Fields) => T, { required = false } = {}): T[] {
    const value = required ? this.required(field) : this.raw(field);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) reject('invalid_value', `${this.name(field)}: expected an array, got ${describe(value)}`, this.name(field));
    return value.map((element, index) => {
      const path = `${this.name(field)}[${index}]`;
      if (!isJsonObject(element)) reject('invalid_value', `${path}: expected an object, got ${describe(element)}`, path);
      return read(new Fields(element, path));
    });
  }

  /** An array of strings. */
  strings(field: string): string[] {
    const value = this.raw(field);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) reject('invalid_value', `${this.name(field)}: expected an array, got ${describe(value)}`, this.name(field));
    return value.map((element, index) => {
      if (typeof element !== 'string' || element.trim() === '') {
        const path = `${this.name(field)}[${index}]`;
        return reject('invalid_value', `${path}: expected a non-empty string, got ${describe(element)}`, path);
      }
      return element;
    });
  }

  rejectWith(reason: RejectReason, message: string, field: string): never {
    return reject(reason, message, this.name(field));
  }

  /** The raw string value of a reference field, for batch look-ups before normalising. */
  reference(field: string): string | undefined {
    const value = this.raw(field);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

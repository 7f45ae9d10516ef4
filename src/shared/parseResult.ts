/**
 * What a pure parser of untrusted input answers: the value, or why not.
 * `invalid_value` = cannot be read at all; `out_of_range` = readable but not allowed.
 * The importer turns a failure into a reject with that reason.
 */
export type ParseFailureReason = 'invalid_value' | 'out_of_range';

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: ParseFailureReason; readonly message: string };

export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function invalid(message: string): ParseResult<never> {
  return { ok: false, reason: 'invalid_value', message };
}

export function outOfRange(message: string): ParseResult<never> {
  return { ok: false, reason: 'out_of_range', message };
}

/**
 * Entity keys from `_entities` representations and root arguments.
 *
 * Representations are untrusted `_Any` JSON: `id` may be missing, an object
 * such as `{"$ne": null}` (a query operator if passed on to the driver), an
 * array, a number or a megabyte of text. Only a plain string of sane length
 * is ever used as a key; anything else names nothing.
 */

/** Export ids and Xiaomi user ids are short; this bound is generous and keeps junk out of queries. */
export const MAX_ID_LENGTH = 200;

/** The key as a string, or undefined when `value` cannot be an id. */
export function validIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return undefined;
  return value;
}

/** The `id` field of a representation, validated; undefined when it has none usable. */
export function keyIdOf(representation: unknown): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) return undefined;
  return validIdOf((representation as { id?: unknown }).id);
}

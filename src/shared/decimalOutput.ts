/**
 * Non-money decimals on the wire (`rate`, `percentOff`) are canonical (api.md):
 * no exponent, no trailing fractional zeros. The importer stores them so; this
 * re-canonicalises on the way out so a document written by another tool (or
 * an older importer) cannot break the contract.
 */
import { parseDecimal } from './decimal';

export function canonicalDecimalText(stored: string): string {
  const result = parseDecimal(stored);
  // Not a decimal at all: a broken document, reported as an internal error.
  if (!result.ok) throw new Error(`Stored decimal is not a decimal: ${result.message}`);
  return result.value;
}

/**
 * The exact source text of a JSON number literal that a plain JS number would
 * misrepresent: one with an exponent (`1e3`), three or more fraction digits
 * (`12.500` parses to 12.5 and would hide the trailing zeros the format forbids
 * in money) or an integer beyond 2^53. The importer's JSON reader produces it;
 * the money, decimal and integer parsers decide what it means for their field.
 */
export class NumberText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Whether a JSON number literal needs its source text kept (see NumberText). */
export function needsNumberText(literal: string): boolean {
  if (/[eE]/.test(literal)) return true;
  const dot = literal.indexOf('.');
  if (dot >= 0) return literal.length - dot - 1 > 2;
  return !Number.isSafeInteger(Number(literal));
}

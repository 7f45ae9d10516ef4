/**
 * The arguments of the support and privacy actions (api.md "Scopes"),
 * validated before anything else touches the database: an id empty or longer
 * than 128 characters, a `userId` blank after trimming, or a `reason` empty or
 * longer than 500 characters after trimming is BAD_USER_INPUT naming the
 * argument. Lengths count Unicode code points, not UTF-16 units. Messages never
 * echo the value (a reason may hold personal data).
 */
import { badUserInput } from '../errors';

export const MAX_ACTION_ID_LENGTH = 128;
export const MAX_REASON_LENGTH = 500;

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The GraphQL layer already refuses non-strings for ID!/String!; this guards every other caller too. */
function stringArgument(value: unknown, name: string): string {
  if (typeof value !== 'string') throw badUserInput(`\`${name}\` must be a string.`, name);
  return value;
}

/** An account id: 1 to 128 code points, used exactly as given (ids are the export's own). */
export function accountIdArgument(value: unknown, name = 'accountId'): string {
  const id = stringArgument(value, name);
  const length = codePointLength(id);
  if (length === 0) throw badUserInput(`\`${name}\` must not be empty.`, name);
  if (length > MAX_ACTION_ID_LENGTH) throw badUserInput(`\`${name}\` must be at most ${MAX_ACTION_ID_LENGTH} characters.`, name);
  return id;
}

/**
 * A Xiaomi user id: 1 to 128 code points and not blank; stored trimmed (a
 * token's `sub` never carries surrounding spaces, so an untrimmed link could
 * never be read by its user). Any other id is accepted: this subgraph cannot
 * know every Xiaomi user.
 */
export function userIdArgument(value: unknown, name = 'userId'): string {
  const id = accountIdArgument(value, name);
  const trimmed = id.trim();
  if (trimmed === '') throw badUserInput(`\`${name}\` must not be blank.`, name);
  return trimmed;
}

/** A reason: trimmed, then 1 to 500 code points; the audit entry keeps the trimmed text. */
export function reasonArgument(value: unknown, name = 'reason'): string {
  const reason = stringArgument(value, name).trim();
  const length = codePointLength(reason);
  if (length === 0) throw badUserInput(`\`${name}\` must not be blank: say why (e.g. the ticket number).`, name);
  if (length > MAX_REASON_LENGTH) throw badUserInput(`\`${name}\` must be at most ${MAX_REASON_LENGTH} characters after trimming.`, name);
  return reason;
}

/**
 * Keyset pagination with opaque, signed cursors (api.md: "Cursors are opaque
 * strings; a cursor that was not issued by this service ... is a
 * BAD_USER_INPUT error naming the argument").
 *
 * Every paginated list here is sorted newest first on (instant, id): orders on
 * (placedAt, _id), the points ledger on (at, _id). A cursor carries the
 * position of the last item of a page and an HMAC over that position AND the
 * identity of the list it was issued for (owner, filter), so a tampered
 * cursor, a made-up one and one of another list are all rejected alike.
 *
 * Most lists are short, and the page loader (src/shared/keysetPageLoader.ts)
 * reads those whole and pages them here in memory (slicePage); a long list is
 * paged by the database with the same keyset condition (src/shared/keysetQuery.ts)
 * and re-sorted here, so the ordering rule lives in compareNewestFirst (JS
 * string comparison for ids, identical on MongoDB and FerretDB for the
 * export's ASCII ids).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { badUserInput } from '../errors';
import type { Edge, Page } from '../graphql/parents';

/** Where an item sits in a newest-first list. */
export interface KeysetPosition {
  readonly at: Date;
  readonly id: string;
}

export interface CursorCodec {
  /** The opaque cursor of `position` in the list `listId`. */
  encode(listId: string, position: KeysetPosition): string;
  /** The position of a cursor issued for `listId`; throws BAD_USER_INPUT naming `after` otherwise. */
  decode(listId: string, cursor: string): KeysetPosition;
}

/** Payload format version: bump when the payload changes so old cursors fail clearly. */
const VERSION = '1';
/** 128 bits of HMAC-SHA256 are plenty to make guessing a valid cursor hopeless. */
const MAC_BYTES = 16;
/** Real cursors are well under 200 characters; anything far longer is not ours. */
const MAX_CURSOR_LENGTH = 1024;

function invalidCursor(): never {
  throw badUserInput(
    '`after` is not a cursor of this list: pass the `endCursor` of the previous page of the same list, unchanged.',
    'after',
  );
}

let lastCodec: { readonly secret: string; readonly codec: CursorCodec } | undefined;

/** The codec for the configured secret (RequestContext.cursorSecret), built once and reused. */
export function cursorCodecFor(secret: string): CursorCodec {
  if (lastCodec?.secret !== secret) lastCodec = { secret, codec: createCursorCodec(secret) };
  return lastCodec.codec;
}

export function createCursorCodec(secret: string | Uint8Array): CursorCodec {
  if (secret.length === 0) throw new Error('The cursor secret must not be empty');
  const mac = (listId: string, payload: string): Buffer =>
    createHmac('sha256', secret).update(listId).update('\n').update(payload).digest().subarray(0, MAC_BYTES);

  return {
    encode(listId, position) {
      const payload = Buffer.from(`${VERSION}:${position.at.getTime()}:${position.id}`, 'utf8').toString('base64url');
      return `${payload}.${mac(listId, payload).toString('base64url')}`;
    },
    decode(listId, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) invalidCursor();
      const parts = cursor.split('.');
      if (parts.length !== 2) invalidCursor();
      const [payload = '', signature = ''] = parts;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(listId, payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) invalidCursor();
      // Signed by us for this list: the payload is ours, but parse it strictly anyway.
      const match = /^([0-9]+):(-?[0-9]{1,16}):(.+)$/s.exec(Buffer.from(payload, 'base64url').toString('utf8'));
      if (!match || match[1] !== VERSION) invalidCursor();
      const at = new Date(Number(match[2]));
      if (Number.isNaN(at.getTime())) invalidCursor();
      return { at, id: match[3] ?? '' };
    },
  };
}

/** Newest first; ties by id descending (api.md). A comparator for Array.prototype.sort. */
export function compareNewestFirst(a: KeysetPosition, b: KeysetPosition): number {
  const byTime = b.at.getTime() - a.at.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A validated page request: how many, and after which position (null = from the start). */
export interface PageRequest {
  readonly first: number;
  readonly after: KeysetPosition | null;
}

export const MAX_PAGE_SIZE = 100;

/**
 * Validates `first` and `after` of a list. `first: null` means the default,
 * as if it were omitted. Throws BAD_USER_INPUT naming the argument.
 */
export function parsePageRequest(
  args: { first?: number | null; after?: string | null },
  defaultFirst: number,
  listId: string,
  codec: CursorCodec,
): PageRequest {
  const first = args.first ?? defaultFirst;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, 'first');
  }
  const after = args.after === null || args.after === undefined ? null : codec.decode(listId, args.after);
  return { first, after };
}

/** The items of one page, taken from a whole list sorted newest first. */
export interface PageSlice<K> {
  readonly keys: K[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/** Sorts the keys of a whole list newest first and takes the page `request` asks for. */
export function slicePage<K extends KeysetPosition>(allKeys: readonly K[], request: PageRequest): PageSlice<K> {
  const sorted = [...allKeys].sort(compareNewestFirst);
  const after = request.after;
  const start = after === null ? 0 : sorted.findIndex((key) => compareNewestFirst(key, after) > 0);
  const from = start === -1 ? sorted.length : start;
  return {
    keys: sorted.slice(from, from + request.first),
    totalCount: sorted.length,
    hasNextPage: from + request.first < sorted.length,
    hasPreviousPage: from > 0,
  };
}

/** What a page loader answers: the slice of the list and the documents of its items. */
export interface LoadedPage<T> {
  readonly slice: PageSlice<KeysetPosition>;
  readonly nodes: readonly T[];
}

/** The connection value of a page: edges with signed cursors, nodes, pageInfo, totalCount. */
export function pageOf<T>(
  { slice, nodes }: LoadedPage<T>,
  positionOf: (node: T) => KeysetPosition,
  listId: string,
  codec: CursorCodec,
): Page<T> {
  const edges: Edge<T>[] = nodes.map((node) => ({ cursor: codec.encode(listId, positionOf(node)), node }));
  return {
    edges,
    nodes: [...nodes],
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      hasPreviousPage: slice.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: slice.totalCount,
  };
}

import { signedCursor } from '../support/cursors';
import { compareNewestFirst, createCursorCodec, parsePageRequest, slicePage, type KeysetPosition } from '../../src/shared/cursor';

const codec = createCursorCodec('unit-test-secret');
const position: KeysetPosition = { at: new Date('2023-04-01T10:00:00.123Z'), id: 'order:with:colons/and✓unicode' };

function badInput(fn: () => unknown): { code: unknown; argumentName: unknown } {
  try {
    fn();
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions ?? {};
    return { code: extensions.code, argumentName: extensions.argumentName };
  }
  throw new Error('expected a throw');
}

describe('cursor codec', () => {
  it('round-trips a position for the list it was issued for', () => {
    const cursor = codec.encode('list-a', position);
    expect(codec.decode('list-a', cursor)).toEqual(position);
  });

  it('is opaque: neither the id nor the list are readable as plain text', () => {
    const cursor = codec.encode('list-a', position);
    expect(cursor).not.toContain('order');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['another list', (c: string) => ({ list: 'list-b', cursor: c })],
    ['another secret', () => ({ list: 'list-a', cursor: createCursorCodec('other').encode('list-a', position) })],
    ['a changed payload', (c: string) => ({ list: 'list-a', cursor: `${Buffer.from('1:0:x').toString('base64url')}.${c.split('.')[1]}` })],
    ['a cut signature', (c: string) => ({ list: 'list-a', cursor: c.slice(0, -1) })],
    ['no signature', (c: string) => ({ list: 'list-a', cursor: c.split('.')[0]! })],
    ['garbage', () => ({ list: 'list-a', cursor: '%%%' })],
    ['an empty string', () => ({ list: 'list-a', cursor: '' })],
    ['a huge string', () => ({ list: 'list-a', cursor: 'a'.repeat(100_000) })],
  ])('rejects %s with BAD_USER_INPUT naming `after`', (_what, make) => {
    const { list, cursor } = make(codec.encode('list-a', position));
    expect(badInput(() => codec.decode(list, cursor))).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('refuses an empty secret', () => {
    expect(() => createCursorCodec('')).toThrow();
  });
});

describe('payload checks behind a valid signature', () => {
  it('accepts a well-formed payload signed this way (so the refusals below are the payload’s doing)', () => {
    expect(codec.decode('list-a', signedCursor('unit-test-secret', 'list-a', '1:1680343200123:o-1'))).toEqual({
      at: new Date(1680343200123),
      id: 'o-1',
    });
  });

  it.each([
    ['another payload version', '2:1680343200123:o-1'],
    ['no version', ':1680343200123:o-1'],
    ['a time that is not a number', '1:yesterday:o-1'],
    ['a fractional time', '1:1680343200.5:o-1'],
    ['a time of 17 digits', '1:16803432001230000:o-1'],
    ['a time outside the Date range', '1:9999999999999999:o-1'],
    ['no id', '1:1680343200123:'],
    ['no id separator', '1:1680343200123'],
    ['an empty payload', ''],
    ['bytes that are not text', '\u0000\uFFFF'],
  ])('refuses %s with BAD_USER_INPUT naming `after`', (_what, payloadText) => {
    const cursor = signedCursor('unit-test-secret', 'list-a', payloadText);
    expect(badInput(() => codec.decode('list-a', cursor))).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });
});

describe('parsePageRequest', () => {
  it('takes the default for an omitted or null first', () => {
    expect(parsePageRequest({}, 10, 'l', codec)).toEqual({ first: 10, after: null });
    expect(parsePageRequest({ first: null, after: null }, 20, 'l', codec)).toEqual({ first: 20, after: null });
  });

  it.each([0, -5, 101, 1e9])('rejects first = %p naming `first`', (first) => {
    expect(badInput(() => parsePageRequest({ first }, 10, 'l', codec))).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('decodes after', () => {
    const after = codec.encode('l', position);
    expect(parsePageRequest({ first: 1, after }, 10, 'l', codec)).toEqual({ first: 1, after: position });
  });
});

describe('slicePage', () => {
  const t = (iso: string) => new Date(iso);
  const keys = [
    { at: t('2023-01-01T00:00:00Z'), id: 'a' },
    { at: t('2023-03-01T00:00:00Z'), id: 'b' },
    { at: t('2023-02-01T00:00:00Z'), id: 'c' },
    { at: t('2023-02-01T00:00:00Z'), id: 'd' },
  ];

  it('sorts newest first, ties by id descending', () => {
    expect([...keys].sort(compareNewestFirst).map((key) => key.id)).toEqual(['b', 'd', 'c', 'a']);
  });

  it('takes the page after a position, with counts and flags', () => {
    const slice = slicePage(keys, { first: 2, after: { at: t('2023-02-01T00:00:00Z'), id: 'd' } });
    expect(slice.keys.map((key) => key.id)).toEqual(['c', 'a']);
    expect(slice).toMatchObject({ totalCount: 4, hasNextPage: false, hasPreviousPage: true });
  });

  it('continues after a position whose item is gone', () => {
    const slice = slicePage(keys, { first: 10, after: { at: t('2023-02-01T00:00:00Z'), id: 'cc' } });
    expect(slice.keys.map((key) => key.id)).toEqual(['c', 'a']);
  });

  it('is empty after the last item', () => {
    const slice = slicePage(keys, { first: 2, after: { at: t('2022-01-01T00:00:00Z'), id: 'z' } });
    expect(slice).toMatchObject({ keys: [], totalCount: 4, hasNextPage: false, hasPreviousPage: true });
  });
});

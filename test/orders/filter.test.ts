import { matchesNothing, normaliseOrderFilter, orderFilterKey, orderQuery } from '../../src/orders/filter';

const d = (iso: string) => new Date(iso);

describe('normaliseOrderFilter', () => {
  it('gives equal keys for filters that mean the same', () => {
    const a = normaliseOrderFilter({ status: ['PAID', 'CANCELLED', 'PAID'], store: ['UK'] });
    const b = normaliseOrderFilter({ store: ['UK'], status: ['CANCELLED', 'PAID'], placedAfter: null });
    expect(orderFilterKey(a)).toBe(orderFilterKey(b));
    expect(orderFilterKey(normaliseOrderFilter(undefined))).toBe(orderFilterKey(normaliseOrderFilter({})));
  });

  it('tells "no constraint" (omitted) from "none of these" ([])', () => {
    expect(orderFilterKey(normaliseOrderFilter({ status: [] }))).not.toBe(orderFilterKey(normaliseOrderFilter({})));
  });
});

describe('matchesNothing', () => {
  it.each([
    [{ status: [] }, true],
    [{ store: [] }, true],
    [{ placedAfter: d('2023-01-01T00:00:00Z'), placedBefore: d('2023-01-01T00:00:00Z') }, true],
    [{ placedAfter: d('2023-01-02T00:00:00Z'), placedBefore: d('2023-01-01T00:00:00Z') }, true],
    [{ placedAfter: d('2023-01-01T00:00:00Z'), placedBefore: d('2023-01-01T00:00:00.001Z') }, false],
    [{}, false],
  ])('%j => %p', (input, expected) => {
    expect(matchesNothing(normaliseOrderFilter(input))).toBe(expected);
  });
});

describe('orderQuery', () => {
  it('puts every criterion in the query, placedAfter inclusive and placedBefore exclusive', () => {
    const filter = normaliseOrderFilter({
      status: ['PAID'],
      store: ['FR', 'DE'],
      placedAfter: d('2023-01-01T00:00:00Z'),
      placedBefore: d('2024-01-01T00:00:00Z'),
    });
    expect(orderQuery(['a1', 'a2'], filter)).toEqual({
      accountId: { $in: ['a1', 'a2'] },
      status: { $in: ['PAID'] },
      store: { $in: ['DE', 'FR'] },
      placedAt: { $gte: d('2023-01-01T00:00:00Z'), $lt: d('2024-01-01T00:00:00Z') },
    });
  });

  it('is just the accounts without a filter', () => {
    expect(orderQuery(['a1'], normaliseOrderFilter(null))).toEqual({ accountId: { $in: ['a1'] } });
  });
});

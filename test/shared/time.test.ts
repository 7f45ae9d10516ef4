import { parseTimestamp, wallClockToEpoch, zoneOfStore } from '../../src/shared/time';
import { NumberText } from '../../src/shared/numberText';
import { POCO_STORES } from '../../src/shared/codes';

function instant(value: unknown, zone: string): string {
  const result = parseTimestamp(value, zone);
  if (!result.ok) throw new Error(result.message);
  return result.value.toISOString();
}

describe('parseTimestamp', () => {
  it('reads ISO-8601 with Z or an offset, whatever the record store', () => {
    expect(instant('2024-03-31T01:30:00Z', 'Europe/Paris')).toBe('2024-03-31T01:30:00.000Z');
    expect(instant('2024-03-31T01:30:00+01:00', 'UTC')).toBe('2024-03-31T00:30:00.000Z');
    expect(instant('2024-03-31T01:30:00-0230', 'UTC')).toBe('2024-03-31T04:00:00.000Z');
    expect(instant('2024-03-31T01:30:00.123456+02', 'UTC')).toBe('2024-03-30T23:30:00.123Z');
    expect(instant('2024-03-31T01:30Z', 'UTC')).toBe('2024-03-31T01:30:00.000Z');
  });

  it('reads epoch milliseconds as a number or a string of digits', () => {
    expect(instant(1711848600000, 'Europe/London')).toBe('2024-03-31T01:30:00.000Z');
    expect(instant('1711848600000', 'Europe/London')).toBe('2024-03-31T01:30:00.000Z');
  });

  it('reads a zone-less time as the store wall clock, in winter and in summer', () => {
    expect(instant('2024-01-15 12:00:00', 'Europe/London')).toBe('2024-01-15T12:00:00.000Z');
    expect(instant('2024-07-15 12:00:00', 'Europe/London')).toBe('2024-07-15T11:00:00.000Z');
    expect(instant('2024-07-15 12:00:00', 'Europe/Paris')).toBe('2024-07-15T10:00:00.000Z');
    expect(instant('2024-01-15 12:00:00', 'Europe/Warsaw')).toBe('2024-01-15T11:00:00.000Z');
    expect(instant('2024-07-15 12:00:00', 'UTC')).toBe('2024-07-15T12:00:00.000Z');
  });

  // Expected instants computed with temporal-polyfill's toZonedDateTime(zone, { disambiguation: 'compatible' }).
  it('takes the earlier instant for a UK wall-clock time in the repeated hour of the last Sunday of October', () => {
    expect(instant('2024-10-27 01:30:00', 'Europe/London')).toBe('2024-10-27T00:30:00.000Z');
    expect(instant('2023-10-29 01:00:00', 'Europe/London')).toBe('2023-10-29T00:00:00.000Z');
    expect(instant('2023-10-29 01:59:59', 'Europe/London')).toBe('2023-10-29T00:59:59.000Z');
    // Just outside the repeated hour: unambiguous.
    expect(instant('2023-10-29 02:00:00', 'Europe/London')).toBe('2023-10-29T02:00:00.000Z');
    expect(instant('2023-10-29 00:59:59', 'Europe/London')).toBe('2023-10-28T23:59:59.000Z');
  });

  it('moves a nonexistent UK spring-forward time forward by the gap', () => {
    expect(instant('2024-03-31 01:30:00', 'Europe/London')).toBe('2024-03-31T01:30:00.000Z'); // = 02:30 BST
    expect(instant('2024-03-31 01:00:00', 'Europe/London')).toBe('2024-03-31T01:00:00.000Z'); // = 02:00 BST
    expect(instant('2024-03-31 00:59:59', 'Europe/London')).toBe('2024-03-31T00:59:59.000Z');
  });

  it('handles Paris too: repeated 02:30 on 2024-10-27 is the CEST instant, missing 02:30 on 2024-03-31 becomes 03:30 CEST', () => {
    expect(instant('2024-10-27 02:30:00', 'Europe/Paris')).toBe('2024-10-27T00:30:00.000Z');
    expect(instant('2024-10-27 03:00:00', 'Europe/Paris')).toBe('2024-10-27T02:00:00.000Z');
    expect(instant('2024-03-31 02:30:00', 'Europe/Paris')).toBe('2024-03-31T01:30:00.000Z');
  });

  it.each([
    ['2024-02-30 10:00:00'],
    ['2023-02-29T10:00:00Z'],
    ['2024-01-01 24:00:00'],
    ['2024-01-01T10:00:00+25:00'],
    ['2024-01-01T10:00:00'],
    ['2024-01-01'],
    ['01/02/2024 10:00'],
    ['yesterday'],
    [12.5],
    [new NumberText('1.7e12')],
    [true],
    [{}],
  ])('rejects %p as invalid', (value) => {
    expect(parseTimestamp(value, 'Europe/London')).toMatchObject({ ok: false, reason: 'invalid_value' });
  });

  it.each([[0], ['1970-01-01T00:00:00Z'], [1711848600], ['2124-01-01 00:00:00']])('rejects %p as out of range', (value) => {
    expect(parseTimestamp(value, 'UTC')).toMatchObject({ ok: false, reason: 'out_of_range' });
  });
});

describe('zoneOfStore', () => {
  it('names a zone ICU knows for every store', () => {
    for (const store of POCO_STORES) {
      expect(() => new Intl.DateTimeFormat('en', { timeZone: zoneOfStore(store) })).not.toThrow();
    }
    expect(zoneOfStore('UK')).toBe('Europe/London');
    expect(zoneOfStore('GLOBAL')).toBe('UTC');
  });
});

describe('wallClockToEpoch', () => {
  it('agrees with a plain UTC reading in UTC', () => {
    const wall = Date.UTC(2024, 9, 27, 1, 30);
    expect(wallClockToEpoch(wall, 'UTC')).toBe(wall);
  });
});

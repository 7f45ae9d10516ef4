import { Kind } from 'graphql';
import { DateTimeScalar, DecimalScalar, parseDateTime } from '../../src/graphql/scalars';

describe('DateTime', () => {
  it('serializes a Date exactly as toISOString prints it', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2023, 4, 1, 9, 22, 33)))).toBe('2023-05-01T09:22:33.000Z');
  });

  it('refuses to serialize anything but a valid Date', () => {
    expect(() => DateTimeScalar.serialize('2023-05-01T09:22:33.000Z')).toThrow();
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow();
  });

  it.each([
    ['2023-05-01T09:22:33.000Z', '2023-05-01T09:22:33.000Z'],
    ['2023-05-01T09:22:33Z', '2023-05-01T09:22:33.000Z'],
    ['2023-05-01T11:22:33+02:00', '2023-05-01T09:22:33.000Z'],
    ['2023-05-01T04:22:33.5-05:00', '2023-05-01T09:22:33.500Z'],
    ['2023-05-01T09:22Z', '2023-05-01T09:22:00.000Z'],
    ['2024-02-29T00:00:00.123456Z', '2024-02-29T00:00:00.123Z'],
  ])('parses %s', (input, expected) => {
    expect(parseDateTime(input)?.toISOString()).toBe(expected);
    expect((DateTimeScalar.parseValue(input) as Date).toISOString()).toBe(expected);
  });

  it.each(['2023-05-01', '2023-05-01T09:22:33', '2023-02-29T00:00:00Z', '2023-13-01T00:00:00Z', '2023-05-01T24:00:00Z', 'yesterday', ''])(
    'refuses %j with BAD_USER_INPUT',
    (input) => {
      expect(parseDateTime(input)).toBeUndefined();
      expect(() => DateTimeScalar.parseValue(input)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    },
  );

  it('refuses a non-string literal', () => {
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1682932953000' })).toThrow(/ISO-8601/);
  });
});

describe('Decimal', () => {
  it.each(['0', '-5.50', '279.00', '12.5'])('passes %s through', (value) => {
    expect(DecimalScalar.serialize(value)).toBe(value);
    expect(DecimalScalar.parseValue(value)).toBe(value);
  });

  it.each(['1e3', '1,000', '.5', '01', '+1', 'NaN', ''])('refuses %j', (value) => {
    expect(() => DecimalScalar.parseValue(value)).toThrow(/Decimal/);
    expect(() => DecimalScalar.serialize(value)).toThrow();
  });

  it('refuses a number where a string is expected', () => {
    expect(() => DecimalScalar.parseValue(12.5)).toThrow(/Decimal/);
    expect(() => DecimalScalar.serialize(12.5)).toThrow();
  });
});

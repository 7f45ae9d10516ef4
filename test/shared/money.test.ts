import { formatMinorUnits, parseMoney } from '../../src/shared/money';
import { NumberText } from '../../src/shared/numberText';

describe('parseMoney', () => {
  it.each([
    ['12.50', 1250],
    ['12,50', 1250],
    ['12,5', 1250],
    ['12', 1200],
    [' 7.05 ', 705],
    ['0', 0],
    ['-3.20', -320],
    ['-0.00', 0],
    [12.5, 1250],
    [19.99, 1999],
    [0.07, 7],
    [100, 10000],
  ])('reads %p as %p minor units', (input, expected) => {
    expect(parseMoney(input)).toEqual({ ok: true, value: expected });
  });

  it('never yields negative zero', () => {
    const result = parseMoney('-0');
    expect(result.ok && Object.is(result.value, -0)).toBe(false);
  });

  it.each([
    ['12.500', /more than 2 digits/],
    ['12,345', /more than 2 digits/],
    ['0.001', /more than 2 digits/],
    [new NumberText('12.500'), /more than 2 digits/],
    [new NumberText('1e3'), /exponent/],
    ['1e3', /exponent/],
    ['1E-2', /exponent/],
    ['1,234.50', /thousands separator/],
    ['1.234,50', /thousands separator/],
    ['1 234', /thousands separator/],
    ['NaN', /not a finite/],
    ['Infinity', /not a finite/],
    [Number.POSITIVE_INFINITY, /not a finite/],
    ['12.', /ends with a separator/],
    ['€12', /not an amount/],
    ['', /empty/],
    [true, /expected an amount/],
    [null, /expected an amount/],
    [{}, /expected an amount/],
  ])('rejects %p as invalid', (input, message) => {
    const result = parseMoney(input);
    expect(result).toMatchObject({ ok: false, reason: 'invalid_value' });
    expect(!result.ok && result.message).toMatch(message);
  });

  it('rejects amounts beyond any real order as out of range', () => {
    expect(parseMoney('1000000000000000')).toMatchObject({ ok: false, reason: 'out_of_range' });
  });
});

describe('formatMinorUnits', () => {
  it.each([
    [1250, '12.50'],
    [5, '0.05'],
    [0, '0.00'],
    [-550, '-5.50'],
    [123456789, '1234567.89'],
  ])('formats %p as %p', (minor, expected) => {
    expect(formatMinorUnits(minor)).toBe(expected);
  });
});

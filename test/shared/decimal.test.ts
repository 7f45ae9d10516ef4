import { compareDecimals, parseDecimal } from '../../src/shared/decimal';
import { NumberText } from '../../src/shared/numberText';

describe('parseDecimal', () => {
  it.each([
    ['0.0125', '0.0125'],
    ['10.00', '10'],
    ['012.50', '12.5'],
    ['12,5', '12.5'],
    ['-0.0', '0'],
    ['+3', '3'],
    [new NumberText('0.0125'), '0.0125'],
    [7.5, '7.5'],
    [10, '10'],
  ])('reads %p canonically as %p', (input, expected) => {
    expect(parseDecimal(input)).toEqual({ ok: true, value: expected });
  });

  it.each([['1e-2'], [new NumberText('1e3')], ['abc'], ['1.2.3'], [''], [null], [Number.NaN]])('rejects %p', (input) => {
    expect(parseDecimal(input)).toMatchObject({ ok: false, reason: 'invalid_value' });
  });
});

describe('compareDecimals', () => {
  it.each([
    ['1', '2', -1],
    ['10', '9.99', 1],
    ['0.5', '0.50', 0],
    ['-1', '0', -1],
    ['-2', '-1', -1],
    ['100', '100', 0],
    ['12.5', '12.45', 1],
  ])('compares %p with %p as %p', (a, b, expected) => {
    expect(compareDecimals(a, b)).toBe(expected);
  });
});

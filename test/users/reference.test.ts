import { keyIdOf, MAX_ID_LENGTH, validIdOf } from '../../src/users/reference';

describe('keyIdOf', () => {
  it('takes a plain string id', () => {
    expect(keyIdOf({ __typename: 'User', id: '1234567' })).toBe('1234567');
    expect(keyIdOf({ id: 'x'.repeat(MAX_ID_LENGTH) })).toBe('x'.repeat(MAX_ID_LENGTH));
  });

  it.each([
    ['an operator object', { id: { $ne: null } }],
    ['an array', { id: ['1'] }],
    ['a number', { id: 1 }],
    ['a boolean', { id: true }],
    ['null', { id: null }],
    ['no id', { __typename: 'User' }],
    ['an empty string', { id: '' }],
    ['an oversized string', { id: 'x'.repeat(MAX_ID_LENGTH + 1) }],
    ['a representation that is a string', 'u1'],
    ['a representation that is an array', [{ id: 'u1' }]],
    ['a representation that is null', null],
  ])('answers undefined for %s', (_what, representation) => {
    expect(keyIdOf(representation)).toBeUndefined();
  });
});

describe('validIdOf', () => {
  it('accepts only sane strings', () => {
    expect(validIdOf('NO-1')).toBe('NO-1');
    expect(validIdOf('')).toBeUndefined();
    expect(validIdOf({})).toBeUndefined();
  });
});

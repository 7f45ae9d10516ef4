import { parseCountry } from '../../src/shared/country';

describe('parseCountry', () => {
  it.each([
    ['GB', 'GB'],
    ['gb', 'GB'],
    ['UK', 'GB'],
    ['fr', 'FR'],
    ['United Kingdom', 'GB'],
    ['Great Britain', 'GB'],
    ['france', 'FR'],
    ['Deutschland', 'DE'],
    ['Germany', 'DE'],
    ['España', 'ES'],
    ['Espana', 'ES'],
    ['Italia', 'IT'],
    ['Polska', 'PL'],
    ['Allemagne', 'DE'],
  ])('reads %p as %p', (input, expected) => {
    expect(parseCountry(input)).toEqual({ ok: true, value: expected });
  });

  it.each([['XX'], ['ZZ'], ['EU'], ['Narnia'], ['G'], ['']])('rejects %p', (input) => {
    expect(parseCountry(input)).toMatchObject({ ok: false, reason: 'invalid_value' });
  });
});

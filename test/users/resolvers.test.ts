import { userResolvers } from '../../src/users/resolvers';

type ResolveReference = (reference: unknown) => Promise<unknown>;
const resolveReference = userResolvers.User!.__resolveReference as unknown as ResolveReference;

describe('User.__resolveReference', () => {
  it('answers the key, and nothing read from anywhere', async () => {
    await expect(resolveReference({ __typename: 'User', id: '42', name: 'ignored' })).resolves.toEqual({ id: '42' });
  });

  it('answers null, asynchronously and without throwing, for a malformed key', async () => {
    const answer = resolveReference({ __typename: 'User', id: { $gt: '' } });
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toBeNull();
  });
});

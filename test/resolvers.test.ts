/** The merged resolver map: the per-item `_entities`, Money, and that domains never collide. */
import type { CommandStartedEvent } from 'mongodb';
import { mergeResolvers } from '../src/resolvers';
import { account, order } from './resolvers/fixtures';
import { anonymous, codesOf, expectNoErrors, startHarness, userViewer, type Harness } from './resolvers/harness';

let harness: Harness;
const commands: CommandStartedEvent[] = [];

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
  __typename ... on User { id } ... on PocoOrder { id } ... on PocoCoupon { id } } }`;

beforeAll(async () => {
  harness = await startHarness('entities', { monitorCommands: true });
  await harness.collections.accounts.insertMany([account('ea', { xiaomiUserId: 'u1' })]);
  await harness.collections.orders.insertMany([order('eo', 'ea')]);
  harness.database.client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event));
});

afterAll(async () => {
  await harness.close();
});

describe('_entities', () => {
  it('answers one item per representation, malformed ones null with an error, never failing the batch', async () => {
    const representations = [
      { __typename: 'User', id: 'u1' },
      { __typename: 'Nope', id: 'u1' }, // unknown type
      { __typename: 'PocoAccount', id: 'ea' }, // a type, but not an entity
      { id: 'u1' }, // no __typename
      'just a string',
      [{ __typename: 'User', id: 'u1' }],
      { __typename: 'User' }, // no id
      { __typename: 'User', id: { $ne: null } },
      { __typename: 'User', id: ['u1'] },
      { __typename: 'User', id: 42 },
      { __typename: 'User', id: 'x'.repeat(100_000) },
      { __typename: 'User', id: '' },
      { __typename: 'PocoOrder', id: 'eo' },
      { __typename: 'User', id: 'u2' },
    ];
    const result = await harness.run(ENTITIES, { viewer: userViewer('u1'), variables: { r: representations } });
    expect(result.data!._entities).toEqual([
      { __typename: 'User', id: 'u1' },
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      { __typename: 'PocoOrder', id: 'eo' },
      { __typename: 'User', id: 'u2' },
    ]);
    // Unknown or missing __typename: an error for that item, naming the argument.
    expect(result.errors!.map((error) => [error.path, error.extensions?.code, error.extensions?.argumentName])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [['_entities', i], 'BAD_USER_INPUT', 'representations']),
    );
  });

  it('resolves User references without touching the database', async () => {
    commands.length = 0;
    const r = Array.from({ length: 20 }, (_, i) => ({ __typename: 'User', id: `user-${i}` }));
    const result = await harness.run(ENTITIES, { viewer: anonymous, variables: { r } });
    expectNoErrors(result);
    expect(result.data!._entities).toHaveLength(20);
    expect(commands).toEqual([]);
  });

  it('never passes a malformed key to the database', async () => {
    commands.length = 0;
    const r = [
      { __typename: 'PocoOrder', id: { $ne: null } },
      { __typename: 'PocoCoupon', id: { $regex: '.*' } },
      { __typename: 'PocoOrder', id: ['eo'] },
    ];
    const result = await harness.run(ENTITIES, { viewer: userViewer('u1'), variables: { r } });
    expect(result.data!._entities).toEqual([null, null, null]);
    expect(codesOf(result)).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('answers UNAUTHENTICATED per order or coupon reference for an anonymous caller', async () => {
    const r = [
      { __typename: 'PocoOrder', id: 'eo' },
      { __typename: 'User', id: 'u1' },
      { __typename: 'PocoCoupon', id: 'zz' },
    ];
    const result = await harness.run(ENTITIES, { viewer: anonymous, variables: { r } });
    expect(result.data!._entities).toEqual([null, { __typename: 'User', id: 'u1' }, null]);
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });
});

describe('mergeResolvers', () => {
  it('refuses two domains defining the same field', () => {
    expect(() => mergeResolvers({ User: { id: () => 'a' } }, { User: { id: () => 'b' } })).toThrow('User.id');
  });

  it('merges different fields of one type', () => {
    const merged = mergeResolvers({ User: { id: () => 'a' } }, { User: { pocoAccounts: () => [] } });
    expect(Object.keys(merged.User!)).toEqual(['id', 'pocoAccounts']);
  });
});

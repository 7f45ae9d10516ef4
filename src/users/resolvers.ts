/**
 * The `User` entity of Xiaomi's accounts subgraph. Resolving a reference
 * never touches the database (api.md): it only validates the key. The poco*
 * fields live with their domains and batch across every representation.
 */
import type { Resolvers } from '../generated/resolvers';
import { keyIdOf } from './reference';

export const userResolvers: Resolvers = {
  User: {
    // Async on purpose: a synchronous throw here would fail the whole _entities batch.
    async __resolveReference(reference) {
      const id = keyIdOf(reference);
      return id === undefined ? null : { id };
    },
  },
};

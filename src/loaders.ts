/**
 * Composes the per-request DataLoaders of every domain. Placeholder until the
 * domain modules land.
 */
import type { Collections } from './db/collections';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Loaders {}

export function createLoaders(_collections: Collections, _now: Date): Loaders {
  return {};
}

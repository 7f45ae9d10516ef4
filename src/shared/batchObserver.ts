/**
 * How loaders report their batch sizes (the `poco_dataloader_batch_size`
 * metric) without knowing about Prometheus: the context factory hands every
 * loader one observer, and each batch function reports its key count first.
 */
import type DataLoader from 'dataloader';

/** Told the number of keys of every batch a loader sends to the database. */
export type BatchObserver = (loader: string, size: number) => void;

export const ignoreBatches: BatchObserver = () => {};

/** `batch`, reporting each batch's size to `observe` under the loader's name first. */
export function observed<K, V>(
  observe: BatchObserver,
  loader: string,
  batch: DataLoader.BatchLoadFn<K, V>,
): DataLoader.BatchLoadFn<K, V> {
  return (keys) => {
    observe(loader, keys.length);
    return batch(keys);
  };
}

/**
 * Read options shared by every data-access function.
 *
 * The loaders read whole result sets at once (all sort keys of a list, all
 * documents of a batch). The driver's default first batch is 101 documents,
 * after which every further batch is another `getMore` command, so the number
 * of database round trips would grow with the data. One large batch keeps a
 * request's command count fixed; the server still caps a batch at 16 MiB.
 */
import type { FindOptions } from 'mongodb';

export const WHOLE_RESULT: FindOptions = { batchSize: 100_000 };

/** Alias module: the acceptance tests import the generator under this name. */
export { generateExport, DEFAULT_SEED, type GenerateOptions, type SeedManifest } from './generate';

/** The seed generator's public surface (see generate.ts and demo.ts). */
export { DEFAULT_SEED, generateExport, type GenerateOptions, type SeedManifest, type FileManifest, type ExpectedReject } from './generate';
export { seedDemoData, type SeedDemoDataOptions, type DemoDataResult } from './demo';
export { DEMO_USERS, type DemoUser } from './userBundle';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking happens once in `npm test` (tsc --noEmit); jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  // A hang detector, not a speed check (speed is `npm run bench`'s): on a shared 2-core machine under
  // full load a child process alone (node + tsx) can take tens of seconds to start.
  testTimeout: 120000,
  // Integration tests share one database server; two workers keep a 2-core machine busy without thrashing it.
  maxWorkers: 2,
};

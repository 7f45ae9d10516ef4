/**
 * Runs one esbuild build with the options given as JSON in argv[2] (see
 * src/ide/bundle.ts). A process of its own: esbuild's native service then
 * never runs inside the server (nor inside a test runner's sandbox, where
 * it cannot load), and its memory goes back to the system when it is done.
 */
'use strict';
const { build } = require('esbuild');

build(JSON.parse(process.argv[2])).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error && error.message ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

/** `npm run db:build`: builds the local FerretDB once (no-op when mongod is available or it is built). */
import { ensureFerretDbBinary } from './localDatabase';

ensureFerretDbBinary((message) => console.log(message)).then(
  (binary) => console.log(`local database binary: ${binary}`),
  (error: unknown) => {
    console.error(`could not build the local database: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

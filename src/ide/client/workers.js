/**
 * Monaco's web workers come from this service (bundled next to the page's
 * script by src/ide/bundle.ts), never from a CDN: the IDE works offline and
 * under the page's Content-Security-Policy (worker-src 'self').
 * Imported before GraphiQL, so Monaco finds the environment when it starts.
 */
import { ideConfig } from './config.js';

const WORKER_FILES = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(`${ideConfig.assetBase}/${WORKER_FILES[label] || 'editor.worker.js'}`);
  },
};

/**
 * Proof of purchase PDFs are laid out in worker threads, never on the event
 * loop: one PDF costs tens of milliseconds of CPU (text shaping and font
 * subsetting in fontkit, zlib), which on the loop would hold every other
 * request for that long, and ten concurrent downloads ten times as long
 * (README "After-sales" has the measurements).
 *
 * One pool per process (piscina), created on first use: its threads start
 * when needed and exit after IDLE_TIMEOUT_MS without work, so a service that
 * serves no PDF pays nothing. Threads: one less than the cores (the loop keeps
 * one), at least one, at most four. Waiting renders are bounded (MAX_QUEUE):
 * beyond that a download answers 503 rather than queueing without limit.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { Piscina } from 'piscina';
import { DocumentBusyError } from '../../documents/kind';
import type { ProofOfPurchaseContent } from './content';

const IDLE_TIMEOUT_MS = 30_000;
const MAX_QUEUE = 64;
/** A render that takes this long is stuck: its thread is ended and the download fails. */
const RENDER_TIMEOUT_MS = 30_000;

export const RENDER_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

let pool: Piscina | undefined;

/**
 * The worker is TypeScript unless this file was compiled: a thread then
 * needs tsx's loader, whether or not the parent runs under tsx (jest does not).
 */
function workerOptions(): { filename: string; execArgv: string[] } {
  const isTypeScript = __filename.endsWith('.ts');
  const filename = join(__dirname, isTypeScript ? 'renderWorker.ts' : 'renderWorker.js');
  if (!isTypeScript) return { filename, execArgv: [] };
  const tsxLoader = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
  return { filename, execArgv: ['--import', tsxLoader] };
}

function renderPool(): Piscina {
  pool ??= new Piscina({
    ...workerOptions(),
    minThreads: 0,
    maxThreads: RENDER_THREADS,
    idleTimeout: IDLE_TIMEOUT_MS,
    maxQueue: MAX_QUEUE,
    name: 'default',
  });
  return pool;
}

export async function renderProofOfPurchase(content: ProofOfPurchaseContent): Promise<Buffer> {
  const running = renderPool();
  if (running.queueSize >= MAX_QUEUE) throw new DocumentBusyError();
  const bytes = (await running.run(content, { signal: AbortSignal.timeout(RENDER_TIMEOUT_MS) })) as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Ends the pool's threads (shutdown, end of a test file); the next render starts a new pool. */
export async function closeRenderPool(): Promise<void> {
  const running = pool;
  pool = undefined;
  await running?.destroy();
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, let the
 * requests in flight finish (bounded by SHUTDOWN_GRACE_MS), close the
 * database client, exit 0.
 *
 * The draining itself is Apollo's ApolloServerPluginDrainHttpServer (installed
 * by src/app.ts), which works on any node:http server: on `apollo.stop()`
 * (RunningSubgraph.close) it closes the listener,
 * closes idle keep-alive connections, answers `Connection: close` on busy
 * ones, and after the grace period cuts whatever is still open. This module
 * wires the signals to it once and makes sure the process ends even when a
 * step hangs.
 */
import type { Logger } from 'pino';
import { shutdownTracing } from '../observability/tracing';

/** How long closing the database may take after the drain before the process gives up on it. */
export const CLOSE_DATABASE_BOUND_MS = 5000;

export interface ShutdownOptions {
  readonly logger: Logger;
  readonly graceMs: number;
  /** Stops the HTTP server and drains it (`apollo.stop()` with the drain plugin). */
  readonly stopServing: () => Promise<void>;
  /** Closes the database client (and a local server this process started). */
  readonly closeDatabase: () => Promise<void>;
  /** Called once shutdown begins, e.g. to make /ready answer 503 at once. */
  readonly onBegin?: () => void;
  /** process.exit by default; tests pass their own. */
  readonly exit?: (code: number) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

export interface ShutdownHandle {
  /** Runs the shutdown (as a signal would); resolves with the exit code. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal listeners (tests). */
  dispose(): void;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export function installGracefulShutdown(options: ShutdownOptions): ShutdownHandle {
  const { logger, graceMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    running ??= (async () => {
      const began = Date.now();
      logger.info({ reason, graceMs }, 'shutting down: no new connections, finishing requests in flight');
      options.onBegin?.();
      let code = 0;
      try {
        // The drain plugin's own grace period bounds this; the extra second covers its bookkeeping.
        await within(options.stopServing(), graceMs + 1000, 'draining the HTTP server');
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'draining the HTTP server failed');
      }
      try {
        await within(options.closeDatabase(), CLOSE_DATABASE_BOUND_MS, 'closing the database client');
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'closing the database client failed');
      }
      try {
        // The last spans (this shutdown's requests) go out before the process ends.
        await within(shutdownTracing(), CLOSE_DATABASE_BOUND_MS, 'flushing traces');
      } catch (error) {
        logger.warn({ err: error }, 'flushing traces failed');
      }
      logger.info({ drainMs: Date.now() - began, exitCode: code }, 'shut down');
      return code;
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    void shutdown(signal).then(exit);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    shutdown,
    dispose() {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

/**
 * Timing helpers for tests on a shared, busy machine: wait for a condition
 * instead of sleeping a fixed time, and report durations as `[figures]` lines
 * instead of failing on them. Pass/fail rests on order and outcome; a duration
 * bound, where one is kept, is at least 3x the value expected (DURATION_SLACK).
 */

/** A duration bound is at least this many times the duration expected. */
export const DURATION_SLACK = 3;

/**
 * Resolves once `condition()` is true (checked every `intervalMs`); rejects
 * naming `what` when it still is not after `timeoutMs`. A condition that
 * throws rejects at once with that error.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 20_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Writes one `[figures]` line (measured durations and counts, for the record, never pass/fail). */
export function figures(line: string): void {
  process.stdout.write(`[figures] ${line}\n`);
}

/** Tracks whether a promise has settled yet, without changing it. */
export function settledFlag<T>(promise: Promise<T>): { readonly settled: boolean; readonly promise: Promise<T> } {
  const state = { settled: false, promise };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

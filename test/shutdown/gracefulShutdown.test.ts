/**
 * The shutdown sequence itself (src/plugins/gracefulShutdown.ts), with stand-in
 * steps. Order and outcome decide; the tests wait for the steps to happen
 * instead of sleeping a fixed time.
 */
import pino from 'pino';
import { installGracefulShutdown } from '../../src/plugins/gracefulShutdown';
import { DURATION_SLACK, figures, waitFor } from '../support/timing';

const silent = pino({ level: 'silent' });

test('drains, then closes the database, then exits 0', async () => {
  const steps: string[] = [];
  const exits: number[] = [];
  const handle = installGracefulShutdown({
    logger: silent,
    graceMs: 1000,
    stopServing: async () => void steps.push('stop serving'),
    closeDatabase: async () => void steps.push('close database'),
    onBegin: () => steps.push('begin'),
    exit: (code) => {
      steps.push('exit');
      exits.push(code);
    },
    signals: ['SIGUSR2'],
  });
  try {
    process.emit('SIGUSR2', 'SIGUSR2');
    await waitFor(() => exits.length > 0, 'the shutdown to exit');
    expect(steps).toEqual(['begin', 'stop serving', 'close database', 'exit']);
    expect(exits).toEqual([0]);
  } finally {
    handle.dispose();
  }
});

test('a drain that hangs is cut at the grace period (plus one second) and the exit code says so; the database still closes', async () => {
  const steps: string[] = [];
  const graceMs = 200;
  const handle = installGracefulShutdown({
    logger: silent,
    graceMs,
    stopServing: () => new Promise<void>(() => {}),
    closeDatabase: async () => void steps.push('close database'),
    exit: () => {},
    signals: ['SIGUSR2'],
  });
  try {
    const started = Date.now();
    // A drain that never ends would keep this promise pending for ever: that it resolves is the cut.
    const code = await handle.shutdown('test');
    const ms = Date.now() - started;
    expect(code).toBe(1);
    expect(steps).toEqual(['close database']);
    expect(ms).toBeGreaterThanOrEqual(graceMs + 1000 - 50);
    expect(ms).toBeLessThan(DURATION_SLACK * (graceMs + 1000));
    figures(`shutdown: a hanging drain was cut after ${ms} ms (grace ${graceMs} ms + 1000 ms)`);
  } finally {
    handle.dispose();
  }
});

test('a second signal during shutdown exits at once with 1; the sequence runs only once', async () => {
  let stops = 0;
  const exits: number[] = [];
  let finishDrain: () => void = () => {};
  const handle = installGracefulShutdown({
    logger: silent,
    graceMs: 5000,
    stopServing: () => {
      stops += 1;
      return new Promise<void>((resolve) => (finishDrain = resolve));
    },
    closeDatabase: async () => {},
    exit: (code) => exits.push(code),
    signals: ['SIGUSR2'],
  });
  try {
    process.emit('SIGUSR2', 'SIGUSR2');
    await waitFor(() => stops === 1, 'the drain to start');
    process.emit('SIGUSR2', 'SIGUSR2');
    // The second signal exits while the drain is still running.
    expect(exits).toEqual([1]);
    expect(stops).toBe(1);
    finishDrain();
    await waitFor(() => exits.length === 2, 'the first shutdown to finish');
    expect(exits).toEqual([1, 0]);
    expect(stops).toBe(1);
  } finally {
    handle.dispose();
  }
});

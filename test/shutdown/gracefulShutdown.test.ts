/** The shutdown sequence itself (src/plugins/gracefulShutdown.ts), with stand-in steps. */
import pino from 'pino';
import { installGracefulShutdown } from '../../src/plugins/gracefulShutdown';

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
    exit: (code) => exits.push(code),
    signals: ['SIGUSR2'],
  });
  try {
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(steps).toEqual(['begin', 'stop serving', 'close database']);
    expect(exits).toEqual([0]);
  } finally {
    handle.dispose();
  }
});

test('a drain that hangs is cut at the grace period (plus one second) and the exit code says so; the database still closes', async () => {
  const steps: string[] = [];
  const handle = installGracefulShutdown({
    logger: silent,
    graceMs: 200,
    stopServing: () => new Promise<void>(() => {}),
    closeDatabase: async () => void steps.push('close database'),
    exit: () => {},
    signals: ['SIGUSR2'],
  });
  try {
    const started = Date.now();
    const code = await handle.shutdown('test');
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(steps).toEqual(['close database']);
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
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exits).toEqual([1]);
    expect(stops).toBe(1);
    finishDrain();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exits).toEqual([1, 0]);
  } finally {
    handle.dispose();
  }
});

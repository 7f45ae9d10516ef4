/**
 * `npm run demo` as a user runs it (the same command as package.json's
 * script, in a child process): it prints a gateway URL and a token that answer
 * the printed merged query, and Ctrl-C (SIGINT) stops every server cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { seedDemoData } from '../../src/seed/demo';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { postGraphQL } from '../support/e2eStack';

const ROOT = join(__dirname, '..', '..');
let testDb: TestDatabase;
let child: ChildProcess | undefined;

beforeAll(async () => {
  testDb = await openTestDatabase('demo_cli');
  await seedDemoData(testDb.db, { users: 3 });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await testDb?.drop();
});

function waitForExit(process: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (process.exitCode !== null) return resolve(process.exitCode);
    const timer = setTimeout(() => reject(new Error(`did not exit within ${timeoutMs} ms`)), timeoutMs);
    process.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function startDemoProcess(env: NodeJS.ProcessEnv): { process: ChildProcess; output: () => string; ready: Promise<string> } {
  // package.json: "demo": "node --import tsx src/demo/main.ts"
  const process_ = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<string>((resolve, reject) => {
    process_.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('Ctrl-C stops everything.')) resolve(stdout);
    });
    process_.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    process_.once('exit', (code) => reject(new Error(`demo exited early (${code}): ${stderr}${stdout}`)));
  });
  return { process: process_, output: () => `${stdout}${stderr}`, ready };
}

describe('npm run demo', () => {
  it('prints a gateway URL and demo token that answer the merged query, and stops cleanly on SIGINT', async () => {
    const demo = startDemoProcess({
      MONGODB_URI: testDb.uri,
      MONGODB_DB: testDb.name,
      PORT: '0',
      GATEWAY_PORT: '0',
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    });
    child = demo.process;
    const printed = await demo.ready;

    const gatewayUrl = /Demo supergraph \(gateway\): (\S+)/.exec(printed)?.[1];
    const userToken = /Demo user \(demo-user-1\)[^\n]*\n\s+Authorization: Bearer (\S+)/.exec(printed)?.[1];
    const supportToken = /Support agent[^\n]*\n\s+Authorization: Bearer (\S+)/.exec(printed)?.[1];
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(userToken).toBeDefined();
    expect(supportToken).toBeDefined();

    // The query exactly as printed (indented under "try the merged query").
    const query = /try the merged query:\n((?: {2}.*\n)+?)or,/.exec(printed)?.[1];
    expect(query).toContain('me {');
    const response = await postGraphQL(gatewayUrl!, query!, { token: userToken! });
    expect(response.errors).toBeUndefined();
    expect(response.data?.me?.name).toBe('Alex Demo');
    expect(response.data?.me?.pocoOrders?.totalCount).toBeGreaterThan(0);

    const tickets = await postGraphQL(gatewayUrl!, '{ supportTickets { id order { orderNumber } } }', { token: supportToken! });
    expect(tickets.errors).toBeUndefined();
    expect((tickets.data?.supportTickets as { order: unknown }[]).some((ticket) => ticket.order !== null)).toBe(true);

    demo.process.kill('SIGINT');
    expect(await waitForExit(demo.process, 15_000)).toBe(0);
    expect(demo.output()).not.toMatch(/exiting now|"level":"error"|"level":"fatal"/);
    await expect(fetch(gatewayUrl!, { method: 'POST' })).rejects.toThrow();
  }, 90_000);

  it('stops at start-up, naming GATEWAY_PORT, when the gateway port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const demo = startDemoProcess({
        MONGODB_URI: testDb.uri,
        MONGODB_DB: testDb.name,
        PORT: '0',
        GATEWAY_PORT: String(taken),
        JWT_SECRET: 'x'.repeat(32),
        LOG_LEVEL: 'warn',
      });
      child = demo.process;
      demo.ready.catch(() => {});
      expect(await waitForExit(demo.process, 60_000)).toBe(1);
      expect(demo.output()).toContain(`A port is taken: listen EADDRINUSE: address already in use 127.0.0.1:${taken}`);
      expect(demo.output()).toContain('Set GATEWAY_PORT');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 70_000);

  it('stops at start-up with one line naming GATEWAY_PORT when it is not a port', async () => {
    const demo = startDemoProcess({ MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name, GATEWAY_PORT: 'eighty', JWT_SECRET: 'x'.repeat(32) });
    child = demo.process;
    demo.ready.catch(() => {});
    expect(await waitForExit(demo.process, 30_000)).toBe(1);
    expect(demo.output().trim()).toBe('Bad configuration: GATEWAY_PORT: must be a whole number from 0 to 65535; got "eighty"');
  }, 40_000);
});

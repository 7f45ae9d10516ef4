/**
 * Our subgraph as its own process, the way it runs in production: the
 * compiled build (`npm run build`, then `node dist/src/main.js`) or, for
 * comparison, what `npm start` runs (`node --import tsx src/main.ts`).
 * Configured through the environment only; stopped with SIGTERM like a
 * container runtime stops it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/shared/projectRoot';

export type SubgraphProcessKind = 'compiled' | 'tsx';

export const COMPILED_ENTRY = join('dist', 'src', 'main.js');

/** node's arguments for each kind, relative to the project root. */
export function nodeArgumentsOf(kind: SubgraphProcessKind): string[] {
  switch (kind) {
    case 'compiled':
      return [COMPILED_ENTRY];
    case 'tsx':
      return ['--import', 'tsx', join('src', 'main.ts')];
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown kind ${String(unreachable)}`);
    }
  }
}

let build: Promise<void> | undefined;

/** `npm run build`, once per test process (a file that needs the build calls it in beforeAll). */
export function buildOnce(): Promise<void> {
  build ??= promisify(execFile)('npm', ['run', 'build'], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
    () => undefined,
    (error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`npm run build failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    },
  );
  return build;
}

export interface SubgraphProcess {
  readonly kind: SubgraphProcessKind;
  readonly pid: number;
  /** http://127.0.0.1:PORT/graphql */
  readonly url: string;
  readonly origin: string;
  /** From spawn to the first `GET /ready` answering 200. */
  readonly startupMs: number;
  /** The process's resident set size now (VmRSS of /proc/PID/status), in bytes. */
  rssBytes(): number;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for the exit; rejects unless it exits 0 (the drain finished). */
  stop(): Promise<void>;
}

export interface SubgraphProcessOptions {
  /** The whole environment of the process besides PATH and HOME: nothing leaks in from the test run. */
  readonly env: Record<string, string>;
  readonly startTimeoutMs?: number;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export async function startSubgraphProcess(kind: SubgraphProcessKind, options: SubgraphProcessOptions): Promise<SubgraphProcess> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, nodeArgumentsOf(kind), {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output += text));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${kind} subgraph`);
  const exit = exited(child);

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let url: string | undefined;
  let startupMs: number | undefined;
  try {
    while (startupMs === undefined) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the ${kind} subgraph exited during start-up`);
      if (Date.now() > deadline) throw new Error(`the ${kind} subgraph did not get ready in time`);
      // main.ts prints its URL once it listens (PORT=0 picks a free port).
      url ??= /^POCO legacy subgraph: (http:\/\/\S+)$/m.exec(output)?.[1];
      if (url !== undefined) {
        const ready = await fetch(new URL('/ready', url)).then(
          (response) => response.status === 200,
          () => false,
        );
        if (ready) startupMs = Number(process.hrtime.bigint() - started) / 1e6;
      }
      if (startupMs === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch (error) {
    child.kill('SIGKILL');
    await exit;
    throw new Error(`${(error as Error).message}; its output:\n${output}`);
  }
  const listening = url as string;

  let stopped: Promise<void> | undefined;
  return {
    kind,
    pid,
    url: listening,
    origin: new URL(listening).origin,
    startupMs,
    rssBytes() {
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
      return Number(kb) * 1024;
    },
    output: () => output,
    stop: () =>
      (stopped ??= (async () => {
        child.kill('SIGTERM');
        const { code, signal } = await exit;
        if (code !== 0) throw new Error(`the ${kind} subgraph exited with ${code ?? signal} after SIGTERM; its output:\n${output}`);
      })()),
  };
}

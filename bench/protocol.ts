/** Messages between bench/run.ts and a forked bench/server.ts. */

/** One database command a request issued, as the driver's command monitoring saw it. */
export interface CapturedCommand {
  name: string;
  command: Record<string, unknown>;
  /** performance.now() in the server process: only differences matter. */
  startedAt: number;
  finishedAt: number;
}

export type ParentMessage =
  | { type: 'reset' }
  | { type: 'read' }
  | { type: 'capture'; on: boolean }
  | { type: 'stop' };

export type ServerMessage =
  | { type: 'ready'; url: string }
  | { type: 'counters'; commands: number; dbMs: number; rss: number }
  | { type: 'captured'; commands: CapturedCommand[] };

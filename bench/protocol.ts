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
  /**
   * Since the last reset: commands, their time, the documents their replies carried (cursor batches), and
   * the process's CPU time (user + system, process.cpuUsage); rss now.
   */
  | {
      type: 'counters';
      commands: number;
      dbMs: number;
      documents: number;
      /** The same, per collection. */
      documentsByCollection: Record<string, number>;
      cpuMs: number;
      rss: number;
    }
  | { type: 'captured'; commands: CapturedCommand[] };

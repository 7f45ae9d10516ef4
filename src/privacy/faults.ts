/**
 * The erasure's fault hook, for the fault test only: config.testFault
 * (POCO_TEST_FAULT, read only when NODE_ENV=test) names a stage at which the
 * process SIGKILLs itself, the hardest way to die between two collections (no
 * finally block, no flush). Process-wide on purpose: what it does ends the
 * process anyway. Outside tests it is never installed and costs one compare.
 */
import type { TestFault } from '../config';

export type ErasureStage = 'decided' | 'orders-scrubbed';

let installed: TestFault | undefined;

export function installTestFault(fault: TestFault | undefined): void {
  installed = fault;
}

function faultOf(stage: ErasureStage): TestFault {
  switch (stage) {
    case 'decided':
      return 'kill-after-erasure-decided';
    case 'orders-scrubbed':
      return 'kill-after-orders-scrubbed';
    default: {
      const unreachable: never = stage;
      throw new Error(`unknown erasure stage ${String(unreachable)}`);
    }
  }
}

/** Called by the erasure after each stage. */
export function reachedErasureStage(stage: ErasureStage): void {
  if (installed !== undefined && installed === faultOf(stage)) process.kill(process.pid, 'SIGKILL');
}

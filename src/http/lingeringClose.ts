/**
 * Answering a request before its body has been read (413 body too large, 401
 * no router secret) so that the client can read the answer: what nginx calls a
 * lingering close.
 *
 * Closing the socket while the client is still sending makes the kernel answer
 * the bytes that keep arriving with a TCP reset, and a reset makes the
 * client's kernel drop whatever it had received but not yet handed to the
 * application: our 413 included. Node's fetch then fails with EPIPE or
 * ECONNRESET instead of reading the status (5 of 10 tries with a 5 MB body).
 *
 * So the answer (with `Connection: close`) is written at once, and the rest of
 * the body is read and thrown away, chunk by chunk, never kept, until it ends,
 * the client closes, or a bound is reached (`maxBytes` more bytes, or `maxMs`
 * since the answer). Only then does the response end and the socket close.
 * A body that ended is closed cleanly (all its bytes were read, so no reset);
 * a client still sending at the bound is cut off, having had the answer in its
 * receive buffer for the whole time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface LingerBounds {
  /** The most bytes of the unwanted body read and discarded after the answer. */
  readonly maxBytes: number;
  /** The most time spent discarding after the answer, in milliseconds. */
  readonly maxMs: number;
}

/** How the lingering ended: its body finished, the client went away, or a bound cut it off. */
export type LingerOutcome = 'body_ended' | 'client_closed' | 'byte_bound' | 'time_bound';

export interface LingerResult {
  readonly outcome: LingerOutcome;
  /** Bytes read and discarded after the answer was written. */
  readonly discardedBytes: number;
}

export interface EarlyAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: string;
}

/**
 * Writes `answer` completely, then discards the request body within `bounds`
 * and closes the connection. Resolves when the connection is done with.
 */
export function answerThenLinger(req: IncomingMessage, res: ServerResponse, answer: EarlyAnswer, bounds: LingerBounds): Promise<LingerResult> {
  return new Promise<LingerResult>((resolve) => {
    let discardedBytes = 0;
    let settled = false;

    const finish = (outcome: LingerOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      res.off('close', onClose);
      switch (outcome) {
        case 'body_ended':
          // Nothing unread is left: ending the response closes the connection cleanly (Connection: close).
          res.end();
          break;
        case 'client_closed':
          break;
        case 'byte_bound':
        case 'time_bound':
          // The client had the whole answer all along; stop paying for its upload.
          req.socket.destroy();
          break;
        default: {
          const unreachable: never = outcome;
          throw new Error(`unhandled linger outcome ${String(unreachable)}`);
        }
      }
      resolve({ outcome, discardedBytes });
    };
    const onData = (chunk: Buffer): void => {
      // Counted and dropped: nothing keeps a reference, so memory does not grow with the body.
      discardedBytes += chunk.length;
      if (discardedBytes > bounds.maxBytes) finish('byte_bound');
    };
    const onEnd = (): void => finish('body_ended');
    const onClose = (): void => finish(req.readableEnded ? 'body_ended' : 'client_closed');
    // An aborted request also emits 'error' (ECONNRESET); 'close' follows and settles it.
    const onError = (): void => {};

    const timer = setTimeout(() => finish('time_bound'), bounds.maxMs);
    req.on('error', onError);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    res.on('close', onClose);

    if (req.socket.destroyed) {
      // The client left before the answer: its close events are behind us, nothing to write or wait for.
      finish('client_closed');
      return;
    }
    const length = Buffer.byteLength(answer.body);
    res.writeHead(answer.status, { ...answer.headers, 'content-length': length, connection: 'close' });
    // write, not end: ending now would make Node close the socket while the body is still arriving.
    res.write(answer.body);

    if (req.readableEnded) finish('body_ended');
  });
}

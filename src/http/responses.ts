/**
 * The non-GraphQL answers of the HTTP layer. Errors use the GraphQL response
 * shape (`{ errors: [{ message, extensions: { code } }] }`) so that clients
 * and routers can read them like any other GraphQL error.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Apollo's code for requests that are not GraphQL requests at all (bad JSON, wrong method). */
export const BAD_REQUEST = 'BAD_REQUEST';

/** An error body in the same shape, for answers written before the request body was read (lingeringClose.ts). */
export function errorAnswer(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): { status: number; headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] });
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body };
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, requestId } }] }, headers);
}

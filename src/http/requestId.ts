/**
 * Every request gets an id that appears in its log lines, in the
 * `x-request-id` response header and in masked errors. A caller's (router's)
 * `x-request-id` is kept when it is sane, so one id follows the request
 * across the supergraph; anything else (too long, odd characters that could
 * forge log lines) is replaced.
 */
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

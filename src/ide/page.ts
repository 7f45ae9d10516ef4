/**
 * The GraphQL IDE's HTML page: GraphiQL's script and stylesheet from this
 * service (IDE_ASSET_PATH, see assets.ts) and the page's settings as JSON.
 *
 * The Content-Security-Policy lets the page load and call nothing but its
 * own origin, so a dependency that one day reaches for a CDN font or script
 * fails visibly in development instead of silently needing the internet.
 * Monaco sets styles at run time, hence 'unsafe-inline' for styles only.
 */
import { IDE_SCRIPT, IDE_STYLESHEET } from './bundle';

/** Where the bundle's files are served, on the subgraph and on the demo gateway alike. */
export const IDE_ASSET_PATH = '/graphql-ide';

export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface IdePageOptions {
  /** The tab's title. */
  readonly title: string;
  /** Where the IDE sends its GraphQL POSTs, a path on the page's own origin (`/graphql`, `/`). */
  readonly endpoint: string;
  /** The operation editor's content on a first visit. */
  readonly initialQuery?: string;
  /** Request headers the editor starts with (the demo's bearer token). */
  readonly initialHeaders?: Readonly<Record<string, string>>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that cannot end the <script> element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderIdePage(options: IdePageOptions): string {
  const config = {
    endpoint: options.endpoint,
    assetBase: IDE_ASSET_PATH,
    ...(options.initialQuery !== undefined ? { initialQuery: options.initialQuery } : {}),
    ...(options.initialHeaders !== undefined ? { initialHeaders: JSON.stringify(options.initialHeaders, null, 2) } : {}),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(IDE_CONTENT_SECURITY_POLICY)}">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${IDE_ASSET_PATH}/${IDE_STYLESHEET}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE…</div>
<script id="graphql-ide-config" type="application/json">${scriptSafeJson(config)}</script>
<script src="${IDE_ASSET_PATH}/${IDE_SCRIPT}"></script>
</body>
</html>
`;
}

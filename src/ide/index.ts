/**
 * The GraphQL IDE (GraphiQL) that the subgraph serves outside production at
 * GET /graphql to browsers, and the demo gateway at its URL (runtime.md,
 * HTTP surface). Two parts, used by both servers:
 * - an Apollo landing-page plugin: Apollo answers a GET that prefers
 *   text/html with the page (and replaces its default landing page, Apollo
 *   Sandbox, which loads from Apollo's CDN);
 * - `serveAsset` for GET IDE_ASSET_PATH/<file>: the bundle's files.
 * In production neither is installed (src/app.ts): the subgraph serves no page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { buildIdeAssets, type IdeAssets } from './bundle';
import { IDE_ASSET_PATH, IDE_CONTENT_SECURITY_POLICY, renderIdePage, type IdePageOptions } from './page';

export { IDE_ASSET_PATH } from './page';

export interface GraphqlIdeOptions extends Omit<IdePageOptions, 'initialHeaders'> {
  /** Headers the editor starts with, asked for on every page load (a fresh demo token each time). */
  readonly initialHeaders?: () => Promise<Readonly<Record<string, string>> | undefined>;
  /** Reports a bundle that could not be built (the page then says so). */
  readonly onBuildError?: (error: unknown) => void;
  /** The bundle; default: buildIdeAssets() once per process. */
  readonly loadAssets?: () => Promise<IdeAssets>;
}

export interface GraphqlIde {
  readonly plugin: ApolloServerPlugin<BaseContext>;
  /** Answers GET/HEAD IDE_ASSET_PATH/<file> and returns true; false for any other path (not answered). */
  serveAsset(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

let sharedAssets: Promise<IdeAssets> | undefined;

/** One build per process, started by the first page or file request: servers that nobody opens in a browser never build. */
function loadSharedAssets(): Promise<IdeAssets> {
  sharedAssets ??= buildIdeAssets().catch((error: unknown) => {
    sharedAssets = undefined; // the next request tries again (e.g. after `npm ci`)
    throw error;
  });
  return sharedAssets;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function unavailablePage(endpoint: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GraphQL IDE unavailable</title></head>
<body><h1>The GraphQL IDE could not be built</h1>
<p>The server log says why (often: dependencies missing, run <code>npm ci</code>). GraphQL itself still answers POST requests at <code>${escapeHtml(endpoint)}</code>.</p>
</body></html>
`;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function createGraphqlIde(options: GraphqlIdeOptions): GraphqlIde {
  const loadAssets = options.loadAssets ?? loadSharedAssets;
  const pageOptions = { title: options.title, endpoint: options.endpoint, ...(options.initialQuery !== undefined ? { initialQuery: options.initialQuery } : {}) };

  const plugin: ApolloServerPlugin<BaseContext> = {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return {
            html: async () => {
              try {
                await loadAssets(); // the page is useless without its script
              } catch (error) {
                options.onBuildError?.(error);
                return unavailablePage(options.endpoint);
              }
              const initialHeaders = await options.initialHeaders?.();
              return renderIdePage({ ...pageOptions, ...(initialHeaders ? { initialHeaders } : {}) });
            },
          };
        },
      };
    },
  };

  function serveAsset(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (!pathname.startsWith(`${IDE_ASSET_PATH}/`)) return false;
    const name = pathname.slice(IDE_ASSET_PATH.length + 1);
    const send = (status: number, headers: Record<string, string | number>, body?: Buffer | string): void => {
      if (res.headersSent) return;
      res.writeHead(status, { 'x-content-type-options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Use GET.\n');
      return true;
    }
    loadAssets().then(
      (assets) => {
        const asset = FILE_NAME.test(name) ? assets.get(name) : undefined;
        if (!asset) {
          send(404, { 'content-type': 'text/plain; charset=utf-8' }, 'No such file of the GraphQL IDE.\n');
          return;
        }
        send(
          200,
          {
            'content-type': asset.contentType,
            'content-length': asset.body.length,
            // Same name, new content after a rebuild: the browser asks again each time.
            'cache-control': 'no-cache',
            'content-security-policy': IDE_CONTENT_SECURITY_POLICY,
          },
          asset.body,
        );
      },
      (error: unknown) => {
        options.onBuildError?.(error);
        send(503, { 'content-type': 'text/plain; charset=utf-8' }, 'The GraphQL IDE could not be built; see the server log.\n');
      },
    );
    return true;
  }

  return { plugin, serveAsset };
}

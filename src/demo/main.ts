/**
 * `npm run demo`: everything `npm start` does (configuration, the local
 * database with demo data, our subgraph, the demo tokens), plus the sample
 * accounts and support-tickets subgraphs and a local gateway on port 4000
 * (GATEWAY_PORT), so a merged query can be tried from a browser. Ctrl-C
 * (SIGINT) or SIGTERM stops every server, then the database.
 */
import { ConfigError, type Config } from '../config';
import { createLogger } from '../app';
import { DEMO_USER_ID, signDemoToken } from '../auth/devToken';
import { loadDemoDataIfEmpty, openDatabaseOrExit, printDemoAccess, readConfig } from '../main';
import { installGracefulShutdown } from '../plugins/gracefulShutdown';
import { SupergraphCompositionError } from './gateway';
import { DEFAULT_GATEWAY_PORT, EXAMPLE_QUERY, EXAMPLE_TICKETS_QUERY, startDemo, type RunningDemo } from './startDemo';

/** GATEWAY_PORT: the demo gateway's port (0 = any free port). */
export function gatewayPortFrom(env: NodeJS.ProcessEnv): number {
  const text = env['GATEWAY_PORT']?.trim();
  if (text === undefined || text === '') return DEFAULT_GATEWAY_PORT;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(port) || port > 65535) {
    throw new ConfigError('GATEWAY_PORT', `must be a whole number from 0 to 65535; got ${JSON.stringify(text.slice(0, 60))}`);
  }
  return port;
}

/** A demo-user-1 token for the printed curl line (the same claims npm start's tokens carry). */
function demoUserToken(config: Config): Promise<string | undefined> {
  return signDemoToken(config, DEMO_USER_ID);
}

function printGateway(demo: RunningDemo, token: string | undefined): void {
  const lines = [
    `Demo supergraph (gateway): ${demo.gateway.url}   <- open it in a browser (GraphQL IDE, works offline, demo user's token filled in) or POST GraphQL to it`,
    `API guide with a query for every screen: docs/api-guide.md`,
    `  subgraphs: poco ${demo.subgraph.url}, accounts ${demo.accounts.url}, support tickets ${demo.support.url}`,
    `Send the demo user's token above as the Authorization header and try the merged query:`,
    ...EXAMPLE_QUERY.split('\n').map((line) => `  ${line}`),
    `or, with either token, tickets of the support subgraph that reference POCO orders:`,
    `  ${EXAMPLE_TICKETS_QUERY}`,
    `From a shell:`,
    `  curl -s ${demo.gateway.url} -H 'content-type: application/json' -H 'authorization: Bearer ${token ?? '<your token>'}' \\`,
    `    -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'`,
    `Ctrl-C stops everything.`,
    ``,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  let config: Config;
  let gatewayPort: number;
  try {
    config = readConfig();
    gatewayPort = gatewayPortFrom(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Bad configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const usingLocalDatabase = config.mongodbUri === undefined;

  const database = await openDatabaseOrExit(config, logger, 'poco-legacy-demo');

  let demo: RunningDemo;
  try {
    if (usingLocalDatabase) await loadDemoDataIfEmpty(database.db, logger);
    demo = await startDemo({ config, db: database.db, logger, gatewayPort });
  } catch (error) {
    if (error instanceof SupergraphCompositionError) {
      process.stderr.write(`${error.message}\n`);
    } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`A port is taken: ${(error as Error).message}. Set GATEWAY_PORT (gateway, default 4000) or PORT (subgraph, default 4001) to a free one.\n`);
    } else {
      logger.fatal({ err: error }, 'could not start the demo');
    }
    await database.close().catch(() => {});
    process.exit(1);
  }
  await printDemoAccess(config, demo.subgraph, usingLocalDatabase);
  printGateway(demo, await demoUserToken(config));

  installGracefulShutdown({
    logger,
    graceMs: config.limits.shutdownGraceMs,
    stopServing: () => demo.close(),
    closeDatabase: () => database.close(),
  });
}

if (require.main === module) void main();

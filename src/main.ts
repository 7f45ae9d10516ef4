/**
 * `npm start`: serves the subgraph.
 *
 * Without MONGODB_URI (never in production) it uses the local development
 * database (src/db/open.ts), loads demo data into it when it is empty, and
 * prints the GraphQL URL with ready-to-paste demo bearer tokens.
 */
// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must load before node:http and the driver.
import './observability/register';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { ConfigError, describeConfig, loadConfig, type Config } from './config';
import { createLogger, startSubgraph, type RunningSubgraph } from './app';
import { DEMO_USER_ID, signDevToken } from './auth/devToken';
import { SUBGRAPH_EXAMPLE_QUERY, subgraphIdeStart } from './ide/demoStart';
import { collectionsOf } from './db/collections';
import { openDatabase, type OpenedDatabase } from './db/open';
import { seedDemoData } from './seed';
import { installGracefulShutdown } from './plugins/gracefulShutdown';
import { mongoClientOptions } from './limits/database';

export { DEMO_USER_ID } from './auth/devToken';

/**
 * The HS256 secret of development when JWT_SECRET is unset: printed as such,
 * never used in production (loadConfig demands real verification there).
 */
export const DEVELOPMENT_JWT_SECRET = 'poco-legacy-development-jwt-secret-do-not-use-in-production';
/** How many users the demo data of `npm start` and `npm run demo` has (the guide's examples run on the same). */
export const DEMO_DATA_USERS = 25;
const DEMO_QUERY = SUBGRAPH_EXAMPLE_QUERY.replace(/\s+/g, ' ');

export function readConfig(): Config {
  const config = loadConfig(process.env);
  const hasVerification = config.jwt.secret !== undefined || config.jwt.jwksUrl !== undefined || config.jwt.publicKey !== undefined;
  if (config.isProduction || hasVerification) return config;
  return loadConfig({ ...process.env, JWT_SECRET: DEVELOPMENT_JWT_SECRET });
}

export async function loadDemoDataIfEmpty(db: Db, logger: Logger): Promise<void> {
  const anyAccount = await collectionsOf(db).accounts.findOne({}, { projection: { _id: 1 } });
  if (anyAccount) return;
  logger.info({ users: DEMO_DATA_USERS }, 'the local database is empty: loading demo data');
  await seedDemoData(db, { users: DEMO_DATA_USERS });
}

export async function printDemoAccess(config: Config, subgraph: RunningSubgraph, usingLocalDatabase: boolean): Promise<void> {
  const lines = [``, `POCO legacy subgraph: ${subgraph.url}`];
  const secret = config.jwt.secret;
  if (!config.isProduction && secret !== undefined) {
    const claims = {
      secret,
      expiresIn: '12h',
      ...(config.jwt.issuer !== undefined ? { issuer: config.jwt.issuer } : {}),
      ...(config.jwt.audience !== undefined ? { audience: [...config.jwt.audience] } : {}),
    };
    const userToken = await signDevToken({ ...claims, sub: DEMO_USER_ID });
    const supportToken = await signDevToken({ ...claims, sub: 'demo-support-agent', scopes: ['poco:support'] });
    const privacyToken = await signDevToken({ ...claims, sub: 'demo-privacy-officer', scopes: ['poco:privacy'] });
    if (secret === DEVELOPMENT_JWT_SECRET) {
      lines.push(`JWT_SECRET is not set: tokens are verified with the DEVELOPMENT secret "${DEVELOPMENT_JWT_SECRET}" (development only).`);
    }
    lines.push(
      `Demo user (${DEMO_USER_ID}), valid 12 hours:`,
      `  Authorization: Bearer ${userToken}`,
      `Support agent (scope poco:support):`,
      `  Authorization: Bearer ${supportToken}`,
      `Privacy officer (scope poco:privacy):`,
      `  Authorization: Bearer ${privacyToken}`,
      `Try it:`,
      `  curl -s ${subgraph.url} -H 'content-type: application/json' -H 'authorization: Bearer ${userToken}' \\`,
      `    -d '${JSON.stringify({ query: DEMO_QUERY })}'`,
    );
  }
  if (usingLocalDatabase) lines.push(`Database: the local development database (${config.localDatabaseDir ?? '.cache/localdb'}).`);
  if (!config.isProduction) lines.push(`GraphQL IDE (open in a browser, works offline): ${subgraph.url}   API guide: docs/api-guide.md`);
  lines.push(`Health: ${subgraph.url.replace(/\/graphql$/, '/health')}   Metrics: ${subgraph.url.replace(/\/graphql$/, '/metrics')}`, ``);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Opens MONGODB_URI, or the local development database, with the same bounded
 * client startSubgraph would make (timeouts, pool); exits 1 with a logged
 * reason when it cannot. Shared by `npm start` and `npm run demo`.
 */
export async function openDatabaseOrExit(config: Config, logger: Logger, appName: string): Promise<OpenedDatabase> {
  try {
    const database = await openDatabase({
      uri: config.mongodbUri,
      dbName: config.mongodbDb,
      clientOptions: { ...mongoClientOptions(config.limits.database, config.mongodbUri), appName },
      log: (message) => logger.info({ component: 'localdb' }, message),
      ...(config.localDatabaseDir !== undefined ? { localDir: config.localDatabaseDir } : {}),
    });
    logger.info({ database: database.description }, 'database open');
    return database;
  } catch (error) {
    logger.fatal({ err: error }, 'could not open the database');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Bad configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  logger.info({ config: describeConfig(config) }, 'configuration');
  const usingLocalDatabase = config.mongodbUri === undefined;

  const database = await openDatabaseOrExit(config, logger, 'poco-legacy-subgraph');

  let subgraph: RunningSubgraph;
  try {
    if (usingLocalDatabase) await loadDemoDataIfEmpty(database.db, logger);
    subgraph = await startSubgraph({ config, db: database.db, logger, ide: subgraphIdeStart(config) });
  } catch (error) {
    logger.fatal({ err: error }, 'could not start the subgraph');
    await database.close().catch(() => {});
    process.exit(1);
  }
  await printDemoAccess(config, subgraph, usingLocalDatabase);

  // SIGTERM/SIGINT: stop taking requests, finish those in flight (SHUTDOWN_GRACE_MS), close the database, exit.
  installGracefulShutdown({
    logger,
    graceMs: config.limits.shutdownGraceMs,
    stopServing: () => subgraph.close(),
    closeDatabase: () => database.close(),
  });
}

// `npm run demo` (src/demo/main.ts) imports the pieces above without starting a second service.
if (require.main === module) void main();

/**
 * The federation spec version the sample subgraphs link, read from our own
 * schema.graphql so the demo supergraph always composes subgraphs of one
 * federation version (api.md "Federation shape").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../shared/projectRoot';

/** Path of this subgraph's SDL: the gateway composes it as our subgraph. */
export const POCO_SCHEMA_PATH = join(PROJECT_ROOT, 'schema.graphql');

const FEDERATION_LINK = /https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+/;

export function readPocoSchemaSdl(): string {
  return readFileSync(POCO_SCHEMA_PATH, 'utf8');
}

/** The `@link` URL of schema.graphql, e.g. `https://specs.apollo.dev/federation/v2.12`. */
export function federationLinkUrl(pocoSdl: string = readPocoSchemaSdl()): string {
  const match = FEDERATION_LINK.exec(pocoSdl);
  if (!match) throw new Error(`${POCO_SCHEMA_PATH} links no federation v2 spec (@link(url: "https://specs.apollo.dev/federation/v2.x"))`);
  return match[0];
}

/**
 * A plain sample of Xiaomi's accounts subgraph, in memory, for the demo and the
 * end-to-end tests. It owns `User` exactly as api.md's "Federation shape"
 * describes it, so the supergraph we compose is the one production composes.
 * `me` is the user named by the bearer token's `sub`, verified by the caller's
 * `identify` (the platform's own JWT verification, same settings as ours).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import type { Authenticator } from '../auth/viewer';
import { federationLinkUrl } from './federationLink';
import { authorizationOf, serve, type RunningServer } from './serveSubgraph';

export interface SampleUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/**
 * A handful of Xiaomi users: the seed's demo users (`demo-user-N`, linked to
 * POCO accounts by `seedDemoData`) and a few who never shopped at POCO.
 */
export const SAMPLE_USERS: readonly SampleUser[] = [
  { id: 'demo-user-1', name: 'Alex Demo', email: 'demo-user-1@example.com' },
  { id: 'demo-user-2', name: 'Bea Demo', email: 'demo-user-2@example.com' },
  { id: 'demo-user-3', name: 'Chris Demo', email: 'demo-user-3@example.com' },
  { id: 'demo-user-4', name: 'Dana Demo', email: 'demo-user-4@example.com' },
  { id: 'demo-user-5', name: 'Eli Demo', email: 'demo-user-5@example.com' },
  { id: 'xiaomi-user-without-poco', name: 'Noa Never-Shopped', email: 'noa@example.com' },
  { id: 'support-agent-1', name: 'Sam Support', email: 'sam.support@example.com' },
];

/** The SDL api.md fixes for the accounts subgraph, on our federation version. */
export function accountsTypeDefs(linkUrl: string = federationLinkUrl()): DocumentNode {
  return parse(/* GraphQL */ `
    extend schema @link(url: "${linkUrl}", import: ["@key"])

    "A Xiaomi account."
    type User @key(fields: "id") {
      id: ID!
      "Display name."
      name: String
      "Primary email address."
      email: String
    }

    type Query {
      "The signed-in user (the bearer token's sub); null without a valid token."
      me: User
      "A user by id; null when there is none."
      user(id: ID!): User
      "Users by id, in the order asked (a support tool's list of users); null for an unknown id."
      users(ids: [ID!]!): [User]!
    }
  `);
}

/** Who is calling: the verified token's `sub`, or undefined without a valid token. */
export type IdentifyCaller = (authorization: string | undefined) => Promise<string | undefined>;

interface AccountsContext {
  readonly callerId: string | undefined;
}

export interface AccountsSubgraphOptions {
  identify: IdentifyCaller;
  users?: readonly SampleUser[];
  port?: number;
  host?: string;
}

export function accountsSchema(users: readonly SampleUser[]) {
  const byId = new Map(users.map((user) => [user.id, user]));
  return buildSubgraphSchema({
    typeDefs: accountsTypeDefs(),
    resolvers: {
      Query: {
        // buildSubgraphSchema types the context as unknown; serve() builds an AccountsContext.
        me: (_: unknown, __: unknown, context: unknown) => {
          const { callerId } = context as AccountsContext;
          return callerId === undefined ? null : (byId.get(callerId) ?? null);
        },
        user: (_: unknown, args: { id: string }) => byId.get(args.id) ?? null,
        users: (_: unknown, args: { ids: readonly string[] }) => args.ids.map((id) => byId.get(id) ?? null),
      },
      User: {
        __resolveReference: (reference: { id: string }) => byId.get(reference.id) ?? null,
      },
    },
  });
}

export async function startAccountsSubgraph(options: AccountsSubgraphOptions): Promise<RunningServer> {
  const schema = accountsSchema(options.users ?? SAMPLE_USERS);
  return serve<AccountsContext>(
    { schema },
    {
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      context: async (req) => ({ callerId: await options.identify(authorizationOf(req)) }),
    },
  );
}

/** IdentifyCaller over the platform's authenticator: the `sub` of a token our subgraph would accept too. */
export function identifyWith(authenticator: Authenticator): IdentifyCaller {
  return async (authorization) => {
    const viewer = await authenticator.viewerFromAuthorizationHeader(authorization);
    return viewer.kind === 'user' ? viewer.userId : undefined;
  };
}

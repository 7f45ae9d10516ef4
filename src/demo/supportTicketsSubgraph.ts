/**
 * A tiny sample "support tickets" subgraph that references our `PocoOrder`
 * entity without resolving it (`resolvable: false`), as after-sales or support
 * tools at Xiaomi would: the gateway fetches the order from this subgraph by
 * id, so it proves that PocoOrder references from elsewhere work end to end.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { federationLinkUrl } from './federationLink';
import { serve, type RunningServer } from './serveSubgraph';

export interface SampleTicket {
  readonly id: string;
  readonly subject: string;
  /** A `PocoOrder.id` (an export `order_id`); need not exist. */
  readonly orderId: string | null;
}

export function supportTicketsTypeDefs(linkUrl: string = federationLinkUrl()): DocumentNode {
  return parse(/* GraphQL */ `
    extend schema @link(url: "${linkUrl}", import: ["@key"])

    "An order of POCO's legacy shop, resolved by the POCO legacy subgraph."
    type PocoOrder @key(fields: "id", resolvable: false) {
      id: ID!
    }

    "A customer support ticket."
    type SupportTicket {
      id: ID!
      subject: String!
      "The POCO order the ticket is about, if any."
      order: PocoOrder
    }

    type Query {
      "A ticket by id; null when there is none."
      supportTicket(id: ID!): SupportTicket
      "Every ticket."
      supportTickets: [SupportTicket!]!
    }
  `);
}

export function supportTicketsSchema(tickets: readonly SampleTicket[]) {
  const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  return buildSubgraphSchema({
    typeDefs: supportTicketsTypeDefs(),
    resolvers: {
      Query: {
        supportTicket: (_: unknown, args: { id: string }) => byId.get(args.id) ?? null,
        supportTickets: () => tickets,
      },
      SupportTicket: {
        // A reference is all this subgraph knows of an order: the gateway asks ours for the rest.
        order: (ticket: SampleTicket) => (ticket.orderId === null ? null : { __typename: 'PocoOrder', id: ticket.orderId }),
      },
    },
  });
}

export interface SupportTicketsSubgraphOptions {
  tickets: readonly SampleTicket[];
  port?: number;
  host?: string;
}

export async function startSupportTicketsSubgraph(options: SupportTicketsSubgraphOptions): Promise<RunningServer> {
  return serve(
    { schema: supportTicketsSchema(options.tickets) },
    { port: options.port ?? 0, host: options.host ?? '127.0.0.1', context: async () => ({}) },
  );
}

import { parse } from 'graphql';
import { accountsTypeDefs } from '../../src/demo/accountsSubgraph';
import { federationLinkUrl, readPocoSchemaSdl } from '../../src/demo/federationLink';
import { composeSupergraph, startGateway, SupergraphCompositionError, type SubgraphDefinition } from '../../src/demo/gateway';
import { supportTicketsTypeDefs } from '../../src/demo/supportTicketsSubgraph';

const poco: SubgraphDefinition = { name: 'poco', url: 'http://127.0.0.1:4001/graphql', typeDefs: parse(readPocoSchemaSdl()) };
const accounts: SubgraphDefinition = { name: 'accounts', url: 'http://127.0.0.1:4002/', typeDefs: accountsTypeDefs() };
const support: SubgraphDefinition = { name: 'support', url: 'http://127.0.0.1:4003/', typeDefs: supportTicketsTypeDefs() };

describe('composeSupergraph', () => {
  it('composes schema.graphql with the plain accounts subgraph of api.md', () => {
    const supergraph = composeSupergraph([poco, accounts]);
    const document = parse(supergraph);
    const typeNames = document.definitions.flatMap((definition) =>
      'name' in definition && definition.name ? [definition.name.value] : [],
    );
    expect(typeNames).toEqual(expect.arrayContaining(['User', 'PocoOrder', 'PocoCoupon', 'Product', 'PageInfo', 'Query']));
    // User carries the accounts subgraph's fields and ours.
    const user = document.definitions.find((definition) => 'name' in definition && definition.name?.value === 'User');
    const userFields = user && 'fields' in user ? (user.fields ?? []).map((field) => field.name.value) : [];
    expect(userFields).toEqual(expect.arrayContaining(['id', 'name', 'email', 'pocoAccounts', 'pocoOrders', 'pocoPoints', 'pocoCoupons']));
    expect(supergraph).toContain('url: "http://127.0.0.1:4001/graphql"');
  });

  it('composes a third subgraph that references PocoOrder without resolving it', () => {
    const supergraph = composeSupergraph([poco, accounts, support]);
    expect(supergraph).toMatch(/type SupportTicket[\s\S]*order: PocoOrder/);
    expect(supergraph).toMatch(/join__graph\(name: "support"/);
  });

  it('links the sample subgraphs to the federation version of schema.graphql', () => {
    expect(federationLinkUrl()).toMatch(/^https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+$/);
    expect(readPocoSchemaSdl()).toContain(federationLinkUrl());
  });

  const clashing = (): SubgraphDefinition => ({
    name: 'clashing',
    url: 'http://127.0.0.1:4009/',
    typeDefs: parse(`
      extend schema @link(url: "${federationLinkUrl()}", import: ["@key", "@shareable"])
      type PocoOrder @key(fields: "id") { id: ID! total: Int }
      type Query { orders: [PocoOrder!]! }
    `),
  });

  it('refuses to start a gateway over subgraphs that do not compose', async () => {
    await expect(startGateway({ subgraphs: [poco, accounts, clashing()], port: 0 })).rejects.toBeInstanceOf(SupergraphCompositionError);
  });

  it('reports every composition error in one message naming what clashes', () => {
    let failure: unknown;
    try {
      composeSupergraph([poco, accounts, clashing()]);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SupergraphCompositionError);
    const error = failure as SupergraphCompositionError;
    expect(error.errors.length).toBeGreaterThan(0);
    expect(error.message).toMatch(/^The supergraph does not compose \(\d+ errors?\):\n  - \[/);
    expect(error.message).toContain('PocoOrder.total');
    // One bullet per error, each with its code.
    expect(error.message.match(/^  - \[[A-Z_]+\] /gm)).toHaveLength(error.errors.length);
  });
});

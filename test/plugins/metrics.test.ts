import { ApolloServer } from '@apollo/server';
import { createMetrics, outcomeOf, codeLabel } from '../../src/plugins/metrics';

describe('outcomeOf', () => {
  it('is success without errors and the most severe code otherwise', () => {
    expect(outcomeOf(undefined)).toBe('success');
    expect(outcomeOf([])).toBe('success');
    expect(outcomeOf([{ message: 'a', extensions: { code: 'FORBIDDEN' } }])).toBe('forbidden');
    expect(
      outcomeOf([
        { message: 'a', extensions: { code: 'FORBIDDEN' } },
        { message: 'b', extensions: { code: 'SERVICE_UNAVAILABLE' } },
        { message: 'c', extensions: { code: 'UNAUTHENTICATED' } },
      ]),
    ).toBe('service_unavailable');
  });

  it('folds codes outside the contract into OTHER, so labels stay bounded', () => {
    expect(codeLabel('PERSISTED_QUERY_NOT_FOUND')).toBe('OTHER');
    expect(codeLabel(undefined)).toBe('OTHER');
    expect(outcomeOf([{ message: 'x', extensions: { code: 'made-up' } }])).toBe('other');
  });
});

describe('createMetrics', () => {
  it('gives each instance its own registry with the HTTP and GraphQL metrics and the process metrics', async () => {
    const first = createMetrics();
    const second = createMetrics();
    expect(first.registry).not.toBe(second.registry);
    first.httpRequests.inc({ route: 'health', method: 'GET', status: '200' });
    const text = await first.registry.metrics();
    expect(text).toContain('poco_http_requests_total{route="health",method="GET",status="200"} 1');
    expect(text).toContain('# TYPE poco_graphql_requests_total counter');
    expect(text).toContain('# TYPE poco_graphql_request_duration_seconds histogram');
    expect(text).toMatch(/^poco_process_resident_memory_bytes \d+/m);
    expect(await second.registry.metrics()).not.toContain('route="health"');
  });
});

describe('the metrics plugin', () => {
  it('counts requests by operation and outcome, and caps the distinct operation names clients can create', async () => {
    const metrics = createMetrics();
    const server = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hi' } },
      plugins: [metrics.plugin as never],
    });
    await server.start();
    try {
      for (let index = 0; index < 210; index++) {
        await server.executeOperation({ query: `query Op${index} { hello }` });
      }
      await server.executeOperation({ query: '{ hello }' });
      await server.executeOperation({ query: '{ nope }' });
      const text = await metrics.registry.metrics();
      const operations = new Set(
        [...text.matchAll(/^poco_graphql_requests_total\{operation="([^"]+)",outcome="[^"]+"\} \d+$/gm)].map((match) => match[1]),
      );
      expect(operations.has('Op0')).toBe(true);
      expect(operations.has('Op199')).toBe(true);
      expect(operations.has('Op200')).toBe(false);
      expect(text).toMatch(/^poco_graphql_requests_total\{operation="\(other\)",outcome="success"\} 10$/m);
      expect(text).toMatch(/^poco_graphql_requests_total\{operation="\(anonymous\)",outcome="success"\} 1$/m);
      expect(text).toMatch(/^poco_graphql_requests_total\{operation="\(unresolved\)",outcome="graphql_validation_failed"\} 1$/m);
      expect(operations.size).toBe(203);
    } finally {
      await server.stop();
    }
  });
});

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

/**
 * The service's source of "now". Injected (startSubgraph's `clock` option)
 * so that tests can move time: the request's time (RequestContext.now), the
 * expiry of document links and warranty statuses all come from it.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

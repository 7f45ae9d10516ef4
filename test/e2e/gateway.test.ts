/**
 * The supergraph end to end with our subgraph running in the test process
 * (startSubgraph); compiledBuild.test.ts runs the same suite against the
 * compiled build.
 */
import { describeGatewaySuite } from './gatewaySuite';

describeGatewaySuite('in-process');

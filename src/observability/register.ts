/**
 * Imported first by src/main.ts: starts OpenTelemetry (when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set) before node:http and the database
 * driver load, so their instrumentation takes hold.
 */
import { startTracing } from './tracing';

startTracing(process.env);

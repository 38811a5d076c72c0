/**
 * Lines on other login servers: configuration, adapters that ask external registrars on demand,
 * bounded "query all", and ingest of their registration events.
 */
export { loadLoginServers, parseLoginServers, DEFAULT_TIMEOUT_MS, type LoginServers, type LoadLoginServersOptions, type AdapterKind } from './login-servers-config.js';
export { ConfiguredLoginServers, normalizeLoginServer } from './configured-login-servers.js';
export type { RegistrarAdapter, AdapterDeps } from './registrar-adapter.js';
export { KamailioJsonRpcAdapter, type KamailioJsonRpcSettings } from './kamailio/kamailio-jsonrpc-adapter.js';
export { mapUlLookupResult } from './kamailio/ul-lookup-result.js';
export { queryMany, DEFAULT_QUERY_CONCURRENCY, type ExternalQueryItem, type ExternalQueryResult } from './query-many.js';
export { EventIngest, MAX_INGEST_EVENTS, type EventIngestDeps, type IngestResult, type IngestLoginServers } from './ingest/event-ingest.js';
export type { EventSink } from './ingest/event-sink.js';
export type { IngestSource } from './ingest/mapping.js';
export { ExternalError, type ExternalErrorCode } from './errors.js';
export { externalMessages } from './messages.js';

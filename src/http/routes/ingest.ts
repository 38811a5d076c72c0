/**
 * `POST /api/v1/ingest/events`: registration and authentication events from external registrars.
 * The server's bearer-token check runs before this plugin; see docs/external-registrars.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import { ExternalError, type EventIngest } from '../../external/index.js';
import { HttpError } from '../http-error.js';

export interface IngestRoutesOptions {
  readonly ingest: EventIngest;
  /** Route path; default `/api/v1/ingest/events` (pass `/ingest/events` when registered under the `/api/v1` prefix). */
  readonly path?: string;
  /** Request body limit in bytes; default 5 MiB (1000 FreeSWITCH events are about 2 MB). */
  readonly bodyLimit?: number;
}

export const ingestRoutes: FastifyPluginAsync<IngestRoutesOptions> = async (app, options) => {
  app.post(options.path ?? '/api/v1/ingest/events', { bodyLimit: options.bodyLimit ?? 5 * 1024 * 1024 }, async (request, reply) => {
    const body: unknown = request.body;
    if (body === null || typeof body !== 'object')
      throw new HttpError(400, 'EXTERNAL_ERR_INGEST_INVALID', '(body): must be a JSON object or an array of objects (Content-Type: application/json)');
    try {
      const result = await options.ingest.ingest(body);
      return reply.status(200).send({ stored: result.stored.length, skipped: result.skipped, ids: result.stored.map((e) => e.id) });
    } catch (err) {
      if (err instanceof ExternalError) throw new HttpError(err.code === 'EXTERNAL_ERR_INGEST_TOO_MANY_EVENTS' ? 413 : 422, err.code, err.message, { cause: err });
      throw err;
    }
  });
};

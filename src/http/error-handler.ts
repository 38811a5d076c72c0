/**
 * The one place where error codes become HTTP statuses. Every answer is `{error: {code, message}}`.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DeadlineExceededError } from '../app/index.js';
import { DomainError, type DomainErrorCode } from '../domain/index.js';
import { HttpError } from './http-error.js';

export interface ErrorHandlerOptions {
  /** Recognises a database that cannot answer now (`isDatabaseUnavailable` of the store). */
  readonly isUnavailable?: (err: unknown) => boolean;
}

/** Seconds a client should wait before asking again after a 503 (RFC 9110 §10.2.3 Retry-After). */
const RETRY_AFTER_S = 5;

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  DOMAIN_ERR_UNIQUE_NOT_FOUND: 404,
  DOMAIN_ERR_CIRCLE_NOT_FOUND: 404,
  DOMAIN_ERR_ACCOUNT_NOT_FOUND: 404,
  DOMAIN_ERR_DUPLICATE: 409,
  DOMAIN_ERR_INVALID_INPUT: 400,
  DOMAIN_ERR_WEAK_PASSWORD: 400,
};

/** Codes of other modules' errors mapped by suffix convention (`*_NOT_FOUND` → 404 ...). */
function statusForCode(code: string): number | undefined {
  if (code in DOMAIN_STATUS) return DOMAIN_STATUS[code as DomainErrorCode];
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_ILLEGAL_TRANSITION') || code.endsWith('_CONFLICT') || code.endsWith('_DUPLICATE')) return 409;
  if (code.endsWith('_INVALID') || code.endsWith('_INVALID_INPUT') || code.endsWith('_BAD_REQUEST')) return 400;
  return undefined;
}

export function installErrorHandler(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    if (err instanceof DeadlineExceededError || options.isUnavailable?.(err)) {
      // Not a bug: logged without a stack, answered 503 so clients and proxies retry.
      request.log.warn({ reason: err.message }, 'database unavailable');
      const message =
        err instanceof DeadlineExceededError
          ? `the database did not answer within ${err.ms / 1000} s; phones are still answered from memory. ` +
            'A change sent with this request may still be applied: read it back before sending it again'
          : 'the database is unavailable; phones are still answered from memory. Try again shortly';
      return reply.status(503).header('retry-after', String(RETRY_AFTER_S)).send({ error: { code: 'HTTP_ERR_UNAVAILABLE', message } });
    }
    if (err instanceof HttpError) {
      return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message } });
    }
    if (err instanceof DomainError) {
      return reply
        .status(DOMAIN_STATUS[err.code])
        .send({ error: { code: err.code, message: err.message, ...(Object.keys(err.details).length ? { details: err.details } : {}) } });
    }
    const fe = err as FastifyError & { code?: string; validation?: unknown };
    if (fe.validation) {
      return reply.status(400).send({ error: { code: 'HTTP_ERR_VALIDATION', message: fe.message } });
    }
    if (typeof fe.code === 'string') {
      const mapped = statusForCode(fe.code);
      if (mapped) return reply.status(mapped).send({ error: { code: fe.code, message: fe.message } });
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: { code: 'HTTP_ERR_BODY_TOO_LARGE', message: 'request body is too large' } });
      if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.status(415).send({ error: { code: 'HTTP_ERR_UNSUPPORTED_MEDIA_TYPE', message: fe.message } });
      if (fe.code.startsWith('FST_ERR_CTP') || fe.statusCode === 400) return reply.status(400).send({ error: { code: 'HTTP_ERR_BAD_BODY', message: fe.message } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: 'HTTP_ERR_BAD_REQUEST', message: fe.message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'HTTP_ERR_INTERNAL', message: 'internal error; see the server log' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'HTTP_ERR_ROUTE_NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
}

/**
 * Bearer-token check for `/api/v1`. With no API_TOKEN configured, everything but health answers 401:
 * an unprotected provisioning API would hand out SIP passwords' power to anyone on the network.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../alerts/index.js';
import { HttpError } from './http-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearerAuth(apiToken: string | undefined) {
  const expected = apiToken ? digest(apiToken) : null;
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!expected) throw new HttpError(401, 'HTTP_ERR_API_DISABLED', 'the API is disabled: set API_TOKEN to enable it');
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new HttpError(401, 'HTTP_ERR_UNAUTHORIZED', 'missing bearer token: send Authorization: Bearer <API_TOKEN>');
    // Compare fixed-length digests so neither length nor content leaks through timing.
    if (!timingSafeEqual(digest(match[1]!), expected)) throw new HttpError(401, 'HTTP_ERR_UNAUTHORIZED', 'invalid bearer token');
    request.actor = { source: 'api', id: 'api-token', name: 'API' };
  };
}

/**
 * A Bolt `Receiver` served by our own Fastify server at `POST /slack/events`: slash commands,
 * interactivity and the Events API on one URL, as Slack's HTTP mode expects.
 *
 * @remarks
 * Bolt's receiver contract is `init(app)` / `start()` / `stop()` plus `app.processEvent()`
 * (https://docs.slack.dev/tools/bolt-js/concepts/receiver). We mimic Bolt's HTTPReceiver:
 * the body of `ack()` is the HTTP response; with `processBeforeResponse: false` the response goes
 * out as soon as `ack()` is called while the listener keeps running; an event nobody acknowledges
 * within `unhandledRequestTimeoutMs` (Bolt: 3001 ms) gets 404. The signature is checked on the raw
 * body bytes, so the plugin replaces Fastify's body parsers inside its own encapsulated context.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/index.js';
import { systemClock } from '../../domain/index.js';
import { SlackBodyError, SlackSignatureError } from './errors.js';
import { verifySlackSignature } from './signature.js';

/** Minimal logger shape (pino-compatible) so the receiver never logs request bodies or secrets. */
export interface ReceiverLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface FastifyReceiverOptions {
  readonly signingSecret: string;
  readonly clock?: Clock;
  /** Wait for the listener to finish before answering (FaaS style). Default false. */
  readonly processBeforeResponse?: boolean;
  /** Bolt's default is 3001 ms: Slack gives up after 3 s. */
  readonly unhandledRequestTimeoutMs?: number;
  readonly logger?: ReceiverLogger;
}

type AckBody = string | Record<string, unknown> | undefined;
type Outcome = { readonly kind: 'ack'; readonly body: AckBody } | { readonly kind: 'unhandled' } | { readonly kind: 'error' };

const silentLogger: ReceiverLogger = { warn: () => {}, error: () => {} };

export class FastifyReceiver implements Receiver {
  private app: App | undefined;
  readonly signingSecret: string;
  readonly clock: Clock;
  private readonly processBeforeResponse: boolean;
  private readonly unhandledRequestTimeoutMs: number;
  private readonly logger: ReceiverLogger;

  constructor(options: FastifyReceiverOptions) {
    this.signingSecret = options.signingSecret;
    this.clock = options.clock ?? systemClock;
    this.processBeforeResponse = options.processBeforeResponse ?? false;
    this.unhandledRequestTimeoutMs = options.unhandledRequestTimeoutMs ?? 3001;
    this.logger = options.logger ?? silentLogger;
  }

  init(app: App): void {
    this.app = app;
  }

  /** The Fastify server owns the socket; nothing to start. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Dispatches one verified, parsed payload to Bolt and resolves with what the HTTP reply should be. */
  async dispatch(body: Record<string, unknown>, retry: { num?: number; reason?: string }): Promise<Outcome> {
    const app = this.app;
    if (!app) throw new Error('FastifyReceiver used before new App({ receiver }) initialised it');
    let acked = false;
    let settle: (o: Outcome) => void = () => {};
    const outcome = new Promise<Outcome>((resolve) => {
      settle = resolve;
    });
    const timer = setTimeout(() => settle({ kind: 'unhandled' }), this.unhandledRequestTimeoutMs);
    let ackBody: AckBody;
    const ack = async (response?: AckBody): Promise<void> => {
      if (acked) throw new ReceiverMultipleAckError();
      acked = true;
      ackBody = response;
      if (!this.processBeforeResponse) {
        clearTimeout(timer);
        settle({ kind: 'ack', body: response });
      }
    };
    const event: ReceiverEvent = { body, ack, ...(retry.num !== undefined ? { retryNum: retry.num } : {}), ...(retry.reason ? { retryReason: retry.reason } : {}) };
    app.processEvent(event).then(
      () => {
        if (this.processBeforeResponse && acked) {
          clearTimeout(timer);
          settle({ kind: 'ack', body: ackBody });
        }
      },
      (error: unknown) => {
        this.logger.error({ err: error, type: body.type }, 'slack listener failed');
        clearTimeout(timer);
        settle(acked ? { kind: 'ack', body: ackBody } : { kind: 'error' });
      },
    );
    return outcome;
  }
}

export interface SlackEventsPluginOptions {
  readonly receiver: FastifyReceiver;
  /** Default `/slack/events`, the URL in `slack/manifest.yml`. */
  readonly path?: string;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses a verified body: JSON (Events API), form `payload=` (interactivity) or form (slash commands). */
export function parseSlackBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  try {
    if ((contentType ?? '').includes('application/json')) {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SlackBodyError('JSON body is not an object');
      return parsed as Record<string, unknown>;
    }
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) {
      const parsed: unknown = JSON.parse(payload);
      if (typeof parsed !== 'object' || parsed === null) throw new SlackBodyError('payload is not an object');
      return parsed as Record<string, unknown>;
    }
    return Object.fromEntries(form.entries());
  } catch (error) {
    if (error instanceof SlackBodyError) throw error;
    throw new SlackBodyError('body is not a Slack payload', { cause: error });
  }
}

function sendAck(reply: FastifyReply, body: AckBody): FastifyReply {
  if (body === undefined || body === '') return reply.code(200).send('');
  if (typeof body === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(body);
  return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/**
 * Encapsulated Fastify plugin for `POST /slack/events`. Register it without `fastify-plugin` so
 * its raw-body parsers stay inside; the rest of the server keeps normal JSON parsing.
 */
export const slackEventsPlugin: FastifyPluginAsync<SlackEventsPluginOptions> = async (fastify, options) => {
  const { receiver } = options;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  fastify.post(options.path ?? '/slack/events', async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const text = raw.toString('utf8');
    const contentType = header(request, 'content-type');
    // Slack's SSL check is a form POST with ssl_check=1 and no command; it only needs a 200.
    if ((contentType ?? '').includes('application/x-www-form-urlencoded') && new URLSearchParams(text).get('ssl_check') === '1') return reply.code(200).send('');
    const verdict = verifySlackSignature({
      signingSecret: receiver.signingSecret,
      rawBody: raw,
      timestamp: header(request, 'x-slack-request-timestamp'),
      signature: header(request, 'x-slack-signature'),
      now: receiver.clock.now(),
    });
    if (!verdict.ok) {
      const error = new SlackSignatureError(verdict.reason);
      request.log.warn({ reason: verdict.reason }, 'slack signature rejected');
      return reply.code(401).send({ error: { code: error.code, message: error.message } });
    }
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(text, contentType);
    } catch (error) {
      const e = error instanceof SlackBodyError ? error : new SlackBodyError('unreadable body');
      return reply.code(400).send({ error: { code: e.code, message: e.message } });
    }
    if (body.type === 'url_verification' && typeof body.challenge === 'string') return reply.code(200).send({ challenge: body.challenge });
    const retryNum = Number(header(request, 'x-slack-retry-num'));
    const outcome = await receiver.dispatch(body, {
      ...(Number.isInteger(retryNum) ? { num: retryNum } : {}),
      ...(header(request, 'x-slack-retry-reason') ? { reason: header(request, 'x-slack-retry-reason') } : {}),
    });
    switch (outcome.kind) {
      case 'ack':
        return sendAck(reply, outcome.body);
      case 'unhandled':
        request.log.warn({ type: body.type }, 'slack request not acknowledged in time');
        return reply.code(404).send('');
      case 'error':
        return reply.code(500).send({ error: { code: 'CHAT_ERR_SLACK_LISTENER', message: 'the Slack listener failed' } });
      default: {
        const unreachable: never = outcome;
        throw new Error(`unknown outcome ${String(unreachable)}`);
      }
    }
  });
};

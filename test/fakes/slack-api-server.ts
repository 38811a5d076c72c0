/**
 * A local fake of the Slack Web API, `response_url`s and the Socket Mode WebSocket, on
 * 127.0.0.1 with an OS-assigned port. Real HTTP and a real WebSocket (`ws`), so Bolt, the Web API
 * client and the Socket Mode client run unmodified against it.
 *
 * - `POST /api/<method>` with a form body (`blocks`/`metadata` as JSON strings, as the Web API client
 *   sends them) or a JSON body; every call is recorded.
 * - `POST /response/<id>` records what `respond()` sent.
 * - `ws://127.0.0.1:PORT/socket` (returned by `apps.connections.open`) says hello, lets the test
 *   push Socket Mode envelopes and records the client's acknowledgements.
 * - `failNext(method, n, failure)` scripts the next n calls of a method: 429 with Retry-After,
 *   an HTTP status, a Slack error (`channel_not_found`), or "commit then 500" (the call took effect but
 *   the answer was lost: the ambiguous failure an idempotent client must survive).
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly token: string | null;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  edits: number;
}

export type ScriptedFailure =
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'slack_error'; readonly error: string }
  | { readonly kind: 'commit_then_http'; readonly status: number };

export interface SocketEnvelope {
  readonly envelope_id: string;
  readonly type: 'slash_commands' | 'interactive' | 'events_api';
  readonly payload: Record<string, unknown>;
  readonly accepts_response_payload: boolean;
}

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata']);

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly responses: { readonly id: string; readonly body: Record<string, unknown> }[] = [];
  readonly acks: SocketAck[] = [];
  readonly messages: StoredMessage[] = [];
  private readonly failures = new Map<string, ScriptedFailure[]>();
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeSlackApi> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/socket' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeSlackApi(server, wss, (server.address() as AddressInfo).port);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    wss.on('connection', (socket) => fake.onSocket(socket));
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get socketUrl(): string {
    return `ws://127.0.0.1:${this.port}/socket`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  failNext(method: string, count: number, failure: ScriptedFailure): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Resolves with the first truthy value of `probe`, re-checked after each recorded call, ack or response. */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = probe();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeSlackApi.waitFor timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
      check();
    });
  }

  /** Sends a Socket Mode envelope to every connected client. */
  sendEnvelope(envelope: SocketEnvelope): void {
    const text = JSON.stringify(envelope);
    for (const socket of this.sockets) socket.send(text);
  }

  get connectedSockets(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.events.removeAllListeners();
  }

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data) => {
      try {
        const parsed = JSON.parse(String(data)) as SocketAck;
        if (typeof parsed.envelope_id === 'string') this.acks.push(parsed);
      } catch {
        // Not an ack; a real server would ignore it too.
      }
      this.events.emit('change');
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'AFAKE' } }));
    this.events.emit('change');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const response = /^\/response\/([\w-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && response) {
      this.responses.push({ id: response[1] as string, body: JSON.parse(raw) as Record<string, unknown> });
      this.events.emit('change');
      return send(res, 200, { ok: true });
    }
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !api) return send(res, 404, { ok: false, error: 'unknown_method' });
    const method = api[1] as string;
    const params = parseParams(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    this.calls.push({ method, params, token: auth?.startsWith('Bearer ') ? auth.slice(7) : null });
    this.events.emit('change');
    const failure = this.failures.get(method)?.shift();
    if (failure?.kind === 'rate_limited') {
      res.setHeader('Retry-After', String(failure.retryAfterSeconds));
      return send(res, 429, { ok: false, error: 'ratelimited' });
    }
    if (failure?.kind === 'http') return send(res, failure.status, { ok: false, error: 'internal_error' });
    if (failure?.kind === 'slack_error') return send(res, 200, { ok: false, error: failure.error });
    const result = this.perform(method, params);
    if (failure?.kind === 'commit_then_http') return send(res, failure.status, { ok: false, error: 'internal_error' });
    return send(res, 200, result);
  }

  private nextTs(): string {
    this.seq += 1;
    return `1764000000.${String(this.seq).padStart(6, '0')}`;
  }

  private perform(method: string, p: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'linewatch', team_id: 'TFAKE', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'chat.postMessage': {
        const message: StoredMessage = {
          channel: String(p.channel),
          ts: this.nextTs(),
          text: String(p.text ?? ''),
          blocks: p.blocks as unknown[] | undefined,
          threadTs: typeof p.thread_ts === 'string' ? p.thread_ts : undefined,
          metadata: p.metadata as StoredMessage['metadata'],
          edits: 0,
        };
        this.messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === p.channel && m.ts === p.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = String(p.text ?? message.text);
        message.blocks = (p.blocks as unknown[] | undefined) ?? message.blocks;
        message.edits += 1;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users).split(',')[0]}` } };
      case 'conversations.history': {
        const limit = Math.min(Number(p.limit ?? 100), 1000);
        const withMetadata = p.include_all_metadata === true || p.include_all_metadata === 'true';
        const found = this.messages
          .filter((m) => m.channel === p.channel && m.threadTs === undefined)
          .reverse()
          .slice(0, limit)
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages: found, has_more: false };
      }
      case 'conversations.replies': {
        const withMetadata = p.include_all_metadata === true || p.include_all_metadata === 'true';
        const found = this.messages
          .filter((m) => m.channel === p.channel && (m.ts === p.ts || m.threadTs === p.ts))
          .slice(0, Math.min(Number(p.limit ?? 100), 1000))
          .map((m) => ({ type: 'message', ts: m.ts, thread_ts: m.threadTs ?? m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages: found, has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return params;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A local fake of Discord: the REST API under `/api/v10/...` and a gateway WebSocket on the same
 * port (127.0.0.1:0). Real discord.js (`Client`, `REST`) talks to it unchanged through
 * `rest.api = fake.apiUrl`.
 *
 * REST: gateway/bot, application (guild) commands PUT, channel messages POST (honours `nonce` +
 * `enforce_nonce` like Discord: the same nonce returns the first message) and PATCH, message
 * threads, DM channels, interaction callbacks and webhook follow-ups. Every call is recorded.
 * Failures are scriptable: `failNext({count, status: 429, retryAfterS})` answers 429 with the JSON
 * body and the rate-limit headers Discord sends; `status: 500, afterCommit: true` stores the
 * message and then answers 500 (a lost response).
 * Gateway: HELLO (op 10), IDENTIFY (op 2) → READY, heartbeat (op 1) → ACK (op 11), and
 * `dispatchInteraction(d)` sends INTERACTION_CREATE. JSON encoding, no compression (zlib-sync is
 * not installed, so discord.js does not ask for it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  allowed_mentions: unknown;
  nonce: string | null;
  edits: number;
}

export interface FakeThread {
  readonly id: string;
  readonly parentId: string;
  readonly name: string;
}

export interface ScriptedFailure {
  readonly count: number;
  readonly status: number;
  /** For 429: seconds, sent as `retry_after` JSON and `Retry-After` / `X-RateLimit-Reset-After` headers. */
  readonly retryAfterS?: number;
  /** Discord JSON error code for 4xx. */
  readonly code?: number;
  /** For message creates: store the message first, then fail (the response is "lost"). */
  readonly afterCommit?: boolean;
  /** Only calls this predicate accepts consume the failure (default: every REST call). */
  readonly match?: (method: string, path: string) => boolean;
}

export interface FakeDiscordOptions {
  /** Channels that exist (text channels the bot may post in). */
  readonly channels?: readonly string[];
  readonly applicationId?: string;
  readonly botUserId?: string;
  readonly heartbeatIntervalMs?: number;
}

interface Failure extends ScriptedFailure {
  remaining: number;
}

const API = '/api/v10';

export class FakeDiscordServer {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly threads = new Map<string, FakeThread>();
  readonly channels = new Set<string>();
  readonly commandPuts: { readonly path: string; readonly body: unknown }[] = [];
  readonly interactionCallbacks: { readonly id: string; readonly token: string; readonly body: any }[] = [];
  readonly webhookCalls: { readonly method: string; readonly path: string; readonly body: any }[] = [];
  readonly gateway = { connections: 0, identifies: 0, heartbeats: 0 };
  readonly applicationId: string;
  readonly botUserId: string;

  #server: Server;
  #wss: WebSocketServer;
  #sockets = new Set<WebSocket>();
  #failures: Failure[] = [];
  #nextId = 1_300_000_000_000_000_000n;
  #seq = 0;
  #heartbeatIntervalMs: number;
  #port = 0;

  private constructor(options: FakeDiscordOptions) {
    for (const c of options.channels ?? []) this.channels.add(c);
    this.applicationId = options.applicationId ?? '1200000000000000001';
    this.botUserId = options.botUserId ?? '1200000000000000002';
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.#server = createServer((req, res) => {
      this.#onRequest(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ message: String(error), code: 0 }));
      });
    });
    this.#wss = new WebSocketServer({ server: this.#server });
    this.#wss.on('connection', (ws) => this.#onGatewayConnection(ws));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscordServer> {
    const fake = new FakeDiscordServer(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#port = (fake.#server.address() as AddressInfo).port;
    return fake;
  }

  /** For `rest.api` / `DISCORD_API_URL`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** The next `count` REST calls (that `match`) fail as described. */
  failNext(failure: ScriptedFailure): void {
    this.#failures.push({ ...failure, remaining: failure.count });
  }

  messagesIn(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** Sends INTERACTION_CREATE to every identified gateway session; returns the sequence number. */
  dispatchInteraction(d: Record<string, unknown>): number {
    const s = ++this.#seq;
    for (const ws of this.#sockets) ws.send(JSON.stringify({ op: 0, t: 'INTERACTION_CREATE', s, d }));
    return s;
  }

  /** Polls `predicate` every 10 ms, at most `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('fake discord: condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #snowflake(): string {
    this.#nextId += 1n;
    return this.#nextId.toString();
  }

  // ---- gateway ----

  #onGatewayConnection(ws: WebSocket): void {
    this.gateway.connections++;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.#heartbeatIntervalMs } }));
    ws.on('message', (raw) => {
      let payload: { op: number; d: unknown };
      try {
        payload = JSON.parse(String(raw)) as { op: number; d: unknown };
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (payload.op === 1) {
        this.gateway.heartbeats++;
        ws.send(JSON.stringify({ op: 11 }));
      } else if (payload.op === 2) {
        this.gateway.identifies++;
        this.#sockets.add(ws);
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: ++this.#seq,
            d: {
              v: 10,
              user: { id: this.botUserId, username: 'linewatch', discriminator: '0', global_name: null, avatar: null, bot: true },
              guilds: [],
              session_id: 'fake-session',
              resume_gateway_url: this.gatewayUrl,
              shard: [0, 1],
              application: { id: this.applicationId, flags: 0 },
            },
          }),
        );
      }
    });
    ws.on('close', () => this.#sockets.delete(ws));
  }

  // ---- REST ----

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text && (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text || null;
    const method = req.method ?? 'GET';
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API) ? pathname.slice(API.length) : pathname;
    this.calls.push({ method, path, query: url.search, authorization: req.headers.authorization, body });

    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };

    const failure = this.#failures.find((f) => f.remaining > 0 && (f.match ? f.match(method, path) : true));
    if (failure && !failure.afterCommit) {
      failure.remaining--;
      return this.#sendFailure(failure, send);
    }

    const isInteraction = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!isInteraction && !(req.headers.authorization ?? '').startsWith('Bot ')) return send(401, { message: '401: Unauthorized', code: 0 });

    const seg = path.split('/').filter(Boolean);

    if (method === 'GET' && path === '/gateway/bot') {
      return send(200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    const isCommands = seg[0] === 'applications' && (seg.length === 3 ? seg[2] === 'commands' : seg.length === 5 && seg[2] === 'guilds' && seg[4] === 'commands');
    if (method === 'PUT' && isCommands) {
      this.commandPuts.push({ path, body });
      const list = Array.isArray(body) ? body : [];
      return send(200, list.map((c: object) => ({ ...c, id: this.#snowflake(), application_id: seg[1], version: '1' })));
    }
    if (method === 'POST' && seg[0] === 'interactions' && seg[3] === 'callback') {
      this.interactionCallbacks.push({ id: seg[1]!, token: seg[2]!, body });
      return send(204);
    }
    if (seg[0] === 'webhooks') {
      this.webhookCalls.push({ method, path, body });
      return send(200, this.#messageJson(this.#storeMessage(`webhook-${seg[2] ?? ''}`, body as Record<string, unknown>, null)));
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = String((body as { recipient_id?: string } | null)?.recipient_id ?? '');
      const id = `dm-${recipient}`;
      this.channels.add(id);
      return send(200, { id, type: 1, recipients: [{ id: recipient }] });
    }
    if (seg[0] === 'channels' && seg[2] === 'messages') {
      const channelId = seg[1]!;
      if (!this.channels.has(channelId)) return send(404, { message: 'Unknown Channel', code: 10003 });
      if (method === 'POST' && seg.length === 3) return this.#createMessage(channelId, body as Record<string, unknown>, failure, send);
      const message = this.messages.get(seg[3] ?? '');
      if (!message || message.channel_id !== channelId) return send(404, { message: 'Unknown Message', code: 10008 });
      if (method === 'PATCH' && seg.length === 4) {
        const patch = body as Partial<FakeMessage>;
        if (patch.content !== undefined) message.content = patch.content;
        if (patch.embeds !== undefined) message.embeds = patch.embeds;
        if (patch.components !== undefined) message.components = patch.components;
        if (patch.allowed_mentions !== undefined) message.allowed_mentions = patch.allowed_mentions;
        message.edits++;
        return send(200, this.#messageJson(message));
      }
      if (method === 'POST' && seg[4] === 'threads') {
        if (this.threads.has(message.id)) return send(400, { message: 'A thread has already been created for this message', code: 160004 });
        const name = String((body as { name?: string } | null)?.name ?? '');
        this.threads.set(message.id, { id: message.id, parentId: channelId, name });
        this.channels.add(message.id);
        return send(201, { id: message.id, type: 11, parent_id: channelId, name });
      }
    }
    return send(404, { message: '404: Not Found', code: 0 });
  }

  #createMessage(channelId: string, body: Record<string, unknown>, failure: Failure | undefined, send: (s: number, j?: unknown, h?: Record<string, string>) => void): void {
    const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : null;
    if (nonce !== null && body.enforce_nonce === true) {
      const existing = [...this.messages.values()].find((m) => m.channel_id === channelId && m.nonce === nonce);
      if (existing) return send(200, this.#messageJson(existing));
    }
    const message = this.#storeMessage(channelId, body, nonce);
    if (failure?.afterCommit) {
      failure.remaining--;
      return this.#sendFailure(failure, send);
    }
    send(200, this.#messageJson(message));
  }

  #storeMessage(channelId: string, body: Record<string, unknown> | null, nonce: string | null): FakeMessage {
    const message: FakeMessage = {
      id: this.#snowflake(),
      channel_id: channelId,
      content: typeof body?.content === 'string' ? body.content : '',
      embeds: Array.isArray(body?.embeds) ? body.embeds : [],
      components: Array.isArray(body?.components) ? body.components : [],
      allowed_mentions: body?.allowed_mentions ?? null,
      nonce,
      edits: 0,
    };
    this.messages.set(message.id, message);
    return message;
  }

  #messageJson(m: FakeMessage): object {
    return {
      id: m.id,
      channel_id: m.channel_id,
      type: 0,
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      nonce: m.nonce ?? undefined,
      author: { id: this.botUserId, username: 'linewatch', discriminator: '0', global_name: null, avatar: null, bot: true },
      timestamp: new Date(0).toISOString(),
      edited_timestamp: m.edits > 0 ? new Date(0).toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      pinned: false,
      flags: 0,
    };
  }

  #sendFailure(failure: Failure, send: (s: number, j?: unknown, h?: Record<string, string>) => void): void {
    if (failure.status === 429) {
      const after = String(failure.retryAfterS ?? 1);
      return send(
        429,
        { message: 'You are being rate limited.', retry_after: failure.retryAfterS ?? 1, global: false },
        { 'retry-after': after, 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': after, 'x-ratelimit-bucket': 'fake-bucket', 'x-ratelimit-scope': 'user' },
      );
    }
    send(failure.status, { message: `fake failure ${failure.status}`, code: failure.code ?? 0 });
  }
}

/** A full INTERACTION_CREATE `d` in the shape Discord sends for a guild interaction. */
export function interactionPayload(fields: {
  readonly id: string;
  readonly type: number;
  readonly data: Record<string, unknown>;
  readonly applicationId: string;
  readonly token?: string;
  readonly message?: Record<string, unknown>;
  readonly user?: { readonly id: string; readonly username: string; readonly global_name?: string | null };
  readonly channelId?: string;
  readonly guildId?: string;
}): Record<string, unknown> {
  const user = { id: '1200000000000000100', username: 'sato', global_name: 'Sato', discriminator: '0', avatar: null, ...fields.user };
  const channelId = fields.channelId ?? '1200000000000000200';
  const guildId = fields.guildId ?? '1200000000000000300';
  return {
    id: fields.id,
    application_id: fields.applicationId,
    type: fields.type,
    token: fields.token ?? `token-${fields.id}`,
    version: 1,
    guild_id: guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'support' },
    member: { user, roles: [], permissions: '0', joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null },
    app_permissions: '0',
    locale: 'ja',
    guild_locale: 'ja',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
    data: fields.data,
    ...(fields.message ? { message: fields.message } : {}),
  };
}

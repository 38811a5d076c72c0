import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../src/store/pg-errors.js';
import { createDb } from '../../../src/store/db.js';
import { schema } from '../../../src/store/index.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises connection failures of the driver, of sockets and of the server', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '08006', '08001', '57P01', '57P03', '53300']) {
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true);
    }
  });

  it('looks through causes and aggregated errors', () => {
    expect(isDatabaseUnavailable(new Error('Failed query: select 1', { cause: coded('ECONNREFUSED') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([coded('ENETUNREACH'), coded('ECONNREFUSED')], 'connect failed'))).toBe(true);
  });

  it('leaves wrong queries and bad data alone: those are bugs to log', () => {
    for (const code of ['42P01', '42703', '22021', '23505', '40001']) expect(isDatabaseUnavailable(coded(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    const loop: Error & { cause?: unknown } = new Error('self');
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });

  it('recognises what drizzle over postgres.js throws when nothing listens on the port', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const handle = await createDb({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/none`, maxConnections: 1 });
    try {
      const err = await handle.db.select().from(schema.uniques).limit(1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

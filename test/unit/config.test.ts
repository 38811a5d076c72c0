import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to embedded PGlite and the contract defaults', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: './data', sharedBuffersMb: 16 });
    expect(c.sip).toMatchObject({ host: '0.0.0.0', port: 5060, domain: 'localhost', realm: 'localhost', minExpires: 60, maxExpires: 3600, defaultExpires: 600 });
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 3000, apiToken: undefined });
    expect(c.alerts.deregisterGraceSeconds).toBe(30);
    expect(c.locale).toBe('ja');
    expect(c.displayTimeZone).toBe('Asia/Tokyo');
    expect(c.slack).toBeUndefined();
    expect(c.discord).toBeUndefined();
  });

  it('sizes the embedded database from PGLITE_SHARED_BUFFERS_MB', () => {
    expect(loadConfig({ PGLITE_SHARED_BUFFERS_MB: '64' }).database).toEqual({ kind: 'pglite', dataDir: './data', sharedBuffersMb: 64 });
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', PGLITE_SHARED_BUFFERS_MB: '64' }).database).toEqual({ kind: 'postgres', url: 'postgres://x@h/db' });
  });

  it('keeps refreshes 7 days and other events 90 by default; 0 keeps them for good', () => {
    expect(loadConfig({}).retention).toEqual({ eventDays: 90, refreshDays: 7 });
    expect(loadConfig({ EVENT_RETENTION_DAYS: '0', REFRESH_RETENTION_DAYS: '30' }).retention).toEqual({ eventDays: 0, refreshDays: 30 });
  });

  it('uses SIP_REALM when set and SIP_DOMAIN otherwise', () => {
    expect(loadConfig({ SIP_DOMAIN: 'sip3.example.net' }).sip.realm).toBe('sip3.example.net');
    expect(loadConfig({ SIP_DOMAIN: 'sip3.example.net', SIP_REALM: 'r' }).sip.realm).toBe('r');
  });

  it.each([
    [{ SIP_PORT: 'abc' }, /SIP_PORT/],
    [{ PGLITE_SHARED_BUFFERS_MB: '0' }, /PGLITE_SHARED_BUFFERS_MB must be at least 1/],
    [{ PGLITE_SHARED_BUFFERS_MB: '2048' }, /PGLITE_SHARED_BUFFERS_MB must be at most 1024/],
    [{ PGLITE_SHARED_BUFFERS_MB: 'lots' }, /PGLITE_SHARED_BUFFERS_MB must be a number of megabytes/],
    [{ SIP_PORT: '70000' }, /SIP_PORT/],
    [{ EVENT_RETENTION_DAYS: '-1' }, /EVENT_RETENTION_DAYS must not be negative \(0 keeps events for good\)/],
    [{ REFRESH_RETENTION_DAYS: '1.5' }, /REFRESH_RETENTION_DAYS must be whole days/],
    [{ REFRESH_RETENTION_DAYS: 'week' }, /REFRESH_RETENTION_DAYS must be a number of days/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ LOCALE: 'fr' }, /LOCALE/],
    [{ DISPLAY_TZ: 'Mars/Olympus' }, /DISPLAY_TZ/],
    [{ SIP_MIN_EXPIRES: '600', SIP_MAX_EXPIRES: '60' }, /SIP_MIN_EXPIRES/],
    [{ API_TOKEN: 'short' }, /API_TOKEN/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET/],
    [{ DISCORD_PUBLIC_KEY: 'zz' }, /DISCORD_PUBLIC_KEY/],
    [{ SLACK_ALERT_CHANNEL: '#alerts' }, /SLACK_ALERT_CHANNEL must be a channel ID/],
    [{ DISCORD_ALERT_CHANNEL_ID: 'alerts' }, /DISCORD_ALERT_CHANNEL_ID must be the numeric channel ID/],
  ])('refuses %o with one line naming the variable', (env, pattern) => {
    let error: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });
});

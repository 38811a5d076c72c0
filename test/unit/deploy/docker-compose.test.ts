/**
 * No Docker engine runs here, so the compose file is checked against the contract instead.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.js';

const root = new URL('../../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'));

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 15 with a healthcheck', () => {
    expect(compose.services.postgres.image).toBe('postgres:15');
    expect(compose.services.postgres.healthcheck.test.join(' ')).toMatch(/pg_isready/);
  });

  it('runs linewatch after PostgreSQL is healthy, built from the Dockerfile', () => {
    const lw = compose.services.linewatch;
    expect(lw.build).toBe('.');
    expect(lw.depends_on.postgres.condition).toBe('service_healthy');
    expect(lw.healthcheck.test.join(' ')).toMatch(/readyz/);
  });

  it('publishes SIP on UDP and TCP and the HTTP port', () => {
    const ports: string[] = compose.services.linewatch.ports;
    expect(ports).toEqual(expect.arrayContaining(['5060:5060/udp', '5060:5060/tcp', '3000:3000/tcp']));
  });

  it('sets an environment the contract accepts, pointing at the postgres service', () => {
    const env: Record<string, string> = compose.services.linewatch.environment;
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/, '$1')]));
    const config = loadConfig({ ...resolved, API_TOKEN: 'a-long-enough-api-token' });
    expect(config.database.kind).toBe('postgres');
    expect(config.sip.port).toBe(5060);
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 3000 });
    expect(config.locale).toBe('ja');
  });

  it('has a Dockerfile that builds, exposes the ports and ships the migrations', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    expect(dockerfile).toMatch(/EXPOSE 5060\/udp 5060\/tcp 3000\/tcp/);
    expect(dockerfile).toMatch(/COPY drizzle \.\/drizzle/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/HEALTHCHECK/);
  });
});

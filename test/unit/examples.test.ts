/**
 * The example configuration files the README points at must stay valid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlertRouter, parseRoutingConfig } from '../../src/alerts/index.js';
import { parseLoginServers } from '../../src/external/index.js';
import { parseOncallYaml } from '../../src/oncall/index.js';

const read = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

describe('examples/', () => {
  it('alert-routes.yaml routes a customer-shared channel to that customer only', () => {
    const router = new AlertRouter(parseRoutingConfig(read('alert-routes.yaml'), 'alert-routes.yaml'), { slackChannel: 'C0DEFAULT' });
    const acme = router.route({ accountLoginId: 'acme', circle: '1', cause: 'deregistered', severity: 'warning' });
    expect(acme.map((t) => t.destination)).toContain('C0ACMESHARED');
    const other = router.route({ accountLoginId: 'globex', circle: '2', cause: 'deregistered', severity: 'warning' });
    expect(other.map((t) => t.destination)).toEqual(expect.arrayContaining(['C0DEFAULT']));
    expect(other.map((t) => t.destination)).not.toContain('C0ACMESHARED');
    expect(router.restrictionOf('slack', 'C0ACMESHARED')).toBe('acme');
  });

  it('oncall.yaml is a valid on-call configuration', () => {
    const config = parseOncallYaml(read('oncall.yaml'), 'oncall.yaml');
    expect(Object.keys(config).length).toBeGreaterThan(0);
  });

  it('login-servers.yaml is a valid login-server configuration', () => {
    const servers = parseLoginServers(read('login-servers.yaml'), 'login-servers.yaml', { sipDomain: 'sip3.example.net', env: { KAMAILIO_SIP5_RPC_AUTH: 'Bearer example' } });
    expect(servers.served.length + (servers.external ? 1 : 0)).toBeGreaterThan(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternalError, KamailioJsonRpcAdapter, loadLoginServers, parseLoginServers } from '../../../src/external/index.js';

const VALID = `# login servers
served:
  - sip3.example.net
  - SIP4.example.net
external:
  - loginServer: sip5.example.net
    adapter: kamailio-jsonrpc
    url: http://10.0.0.5:5071/RPC
    aorDomain: sip5.example.net
  - loginServer: fs.example.net
    adapter: none
`;

function errorOf(text: string, options: Parameters<typeof parseLoginServers>[2] = {}): ExternalError {
  try {
    parseLoginServers(text, 'ls.yaml', options);
  } catch (err) {
    expect(err).toBeInstanceOf(ExternalError);
    expect((err as ExternalError).code).toBe('EXTERNAL_ERR_CONFIG_INVALID');
    return err as ExternalError;
  }
  throw new Error('expected a configuration error');
}

describe('login servers configuration', () => {
  it('reads served and external login servers, names normalised to lower case', () => {
    const { served, external } = parseLoginServers(VALID, 'ls.yaml');
    expect(served).toEqual(['sip3.example.net', 'sip4.example.net']);
    expect(external.names()).toEqual(['sip5.example.net', 'fs.example.net']);
    expect(external.has('SIP5.example.net')).toBe(true);
    expect(external.has('fs.example.net')).toBe(false); // events only: nothing to ask
    expect(external.isExternal('fs.example.net')).toBe(true);
    expect(external.isExternal('sip3.example.net')).toBe(false);
  });

  it('an empty file configures nothing', () => {
    const { served, external } = parseLoginServers('', 'ls.yaml');
    expect(served).toEqual([]);
    expect(external.names()).toEqual([]);
  });

  it.each([
    ['a bad url', VALID.replace('http://10.0.0.5:5071/RPC', 'ftp://10.0.0.5/RPC'), 'ls.yaml:8: external[0].url: must be an http:// or https:// URL'],
    ['credentials in the url', VALID.replace('http://10.0.0.5', 'http://admin:pw@10.0.0.5'), 'ls.yaml:8: external[0].url: must not contain credentials: use authHeader or authHeaderEnv'],
    ['an unknown adapter', VALID.replace('adapter: none', 'adapter: asterisk-ari'), "ls.yaml:11: external[1].adapter: must be one of 'kamailio-jsonrpc', 'none'"],
    ['a missing url (points at the entry)', VALID.replace('    url: http://10.0.0.5:5071/RPC\n', ''), 'ls.yaml:6: external[0].url: is required'],
    ['a timeout too small', VALID.replace('    aorDomain', '    timeoutMs: 5\n    aorDomain'), 'ls.yaml:9: external[0].timeoutMs: must be at least 50 ms'],
    ['a misspelt key', VALID.replace('aorDomain', 'aor_domain'), "ls.yaml:6: external[0]: Unrecognized key(s) in object: 'aor_domain'"],
    ['a bad host name', VALID.replace('  - sip3.example.net', '  - "sip3 example"'), 'ls.yaml:3: served[0]: must be a host name such as sip5.example.net'],
    ['a login server listed twice', VALID.replace('fs.example.net', 'sip3.example.net'), 'ls.yaml:10: external[1].loginServer: sip3.example.net is already listed (served)'],
    ['not YAML', 'served: [a\nexternal: {', 'ls.yaml:'],
  ])('%s stops with file, line and field', (_name, text, message) => {
    expect(errorOf(text).message).toContain(message);
  });

  it('refuses SIP_DOMAIN as an external login server', () => {
    expect(errorOf(VALID, { sipDomain: 'sip5.example.net' }).message).toBe(
      'ls.yaml:6: external[0].loginServer: sip5.example.net is SIP_DOMAIN, served by this registrar',
    );
  });

  it('reads the Authorization header from the environment variable named by authHeaderEnv', async () => {
    const text = VALID.replace('    aorDomain', '    authHeaderEnv: KAM_AUTH\n    aorDomain');
    expect(errorOf(text, { env: {} }).message).toBe('ls.yaml:9: external[0].authHeaderEnv: environment variable KAM_AUTH is not set');
    let seen: string | null = null;
    const fetchSpy: typeof fetch = async (_url, init) => {
      seen = new Headers(init?.headers).get('authorization');
      return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: 404, message: 'AOR not found' }, id: 1 }));
    };
    const { external } = parseLoginServers(text, 'ls.yaml', { env: { KAM_AUTH: 'Bearer s3cret' }, fetch: fetchSpy });
    expect(await external.query('0000000773', 'sip5.example.net')).toEqual({ ok: true, bindings: [], lastRegisterAt: null });
    expect(seen).toBe('Bearer s3cret');
  });

  it('loadLoginServers reads a file and names it when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-ls-'));
    try {
      const file = join(dir, 'login-servers.yaml');
      writeFileSync(file, VALID);
      const { external } = await loadLoginServers(file);
      expect(external.has('sip5.example.net')).toBe(true);
      await expect(loadLoginServers(join(dir, 'nope.yaml'))).rejects.toThrow(`LOGIN_SERVERS_CONFIG: cannot read ${join(dir, 'nope.yaml')} (ENOENT)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the shipped example is valid', async () => {
    const { external } = await loadLoginServers('examples/login-servers.yaml', { env: { KAMAILIO_SIP5_RPC_AUTH: 'Bearer x' } });
    expect(external.names().length).toBeGreaterThan(0);
  });

  it('asks for the configured AOR form', () => {
    const adapter = new KamailioJsonRpcAdapter(
      { loginServer: 's', url: 'http://127.0.0.1:1/RPC', timeoutMs: 100, aorDomain: 'sip5.example.net', table: 'location' },
      { clock: { now: () => new Date() }, locale: 'en' },
    );
    expect(adapter.aorOf('0000000773')).toBe('0000000773@sip5.example.net');
  });
});

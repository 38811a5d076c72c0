/**
 * `linewatch demo`: a newcomer's first minute. Provisions an account, a circle and three lines with
 * generated passwords, and prints what to enter on a softphone to see the whole loop.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { translatorFor } from '../domain/index.js';
import type { Store } from '../main.js';
import type { ApiClient } from './api-client.js';
import { ApiClientError } from './api-client.js';
import type { CliIo } from './commands.js';
import { cliMessages as m } from './messages.js';

const ACCOUNT = 'demo';
const CIRCLE = '900000001';
const LINES = [
  { number: '0000000901', type: 'softphone' },
  { number: '0000000902', type: 'sip_terminal' },
  { number: '0000000903', type: 'ivr' },
] as const;

export type DemoTarget = { kind: 'store'; store: Store } | { kind: 'api'; api: ApiClient };

export async function runDemo(target: DemoTarget, config: Config, io: CliIo): Promise<number> {
  const t = translatorFor(config.locale);
  const passwords = LINES.map(() => randomBytes(9).toString('base64url'));
  try {
    if (target.kind === 'store') {
      const p = target.store.provisioning;
      if (await target.store.circles.get(CIRCLE)) {
        io.out(t(m.demoExists, { circle: CIRCLE }));
        return 0;
      }
      await p.createAccount(ACCOUNT, 'Demo customer');
      await p.createCircle({ number: CIRCLE, accountLoginId: ACCOUNT, userInfo: 'Demo Co., Ltd.', department: 'Support', contact: 'Demo Taro' });
      for (const [i, line] of LINES.entries()) await p.createUnique({ ...line, circleNumber: CIRCLE, password: passwords[i]! });
    } else {
      await target.api.request('POST', '/accounts', { loginId: ACCOUNT, name: 'Demo customer' });
      await target.api.request('POST', '/circles', { number: CIRCLE, accountLoginId: ACCOUNT, userInfo: 'Demo Co., Ltd.', department: 'Support', contact: 'Demo Taro' });
      for (const [i, line] of LINES.entries()) await target.api.request('POST', '/uniques', { ...line, circleNumber: CIRCLE, password: passwords[i]! });
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'DOMAIN_ERR_DUPLICATE' || (err instanceof ApiClientError && err.status === 409)) {
      io.out(t(m.demoExists, { circle: CIRCLE }));
      return 0;
    }
    throw err;
  }
  const host = config.sip.host === '0.0.0.0' ? '127.0.0.1' : config.sip.host;
  io.out(t(m.demoIntro));
  io.out(`  SIP server / registrar : ${host}:${config.sip.port} (UDP or TCP)`);
  io.out(`  domain / realm         : ${config.sip.domain} / ${config.sip.realm}`);
  for (const [i, line] of LINES.entries()) {
    io.out(`  ${line.number} (${line.type})  user/auth ID: ${line.number}  password: ${passwords[i]}`);
  }
  io.out(t(m.demoAfter, { unique: LINES[0].number, circle: CIRCLE }));
  return 0;
}

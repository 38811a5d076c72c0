import postgres from 'postgres';
import { startTcpProxy } from '/work/main/test/fakes/tcp-proxy.ts';
process.on('unhandledRejection', (e) => console.log('UNHANDLED', (e as Error).message, (e as Error).stack?.split('\n').slice(0, 4).join(' | ')));
const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
const sql = postgres(`postgres://postgres@127.0.0.1:${proxy.port}/test`, { max: 10, onnotice: () => {} });
await sql`select 1`;
const results: string[] = [];
const ps: Promise<void>[] = [];
for (let i = 0; i < 20; i++) {
  ps.push((async () => { try { await sql`select pg_sleep(0.05)`; results.push('ok'); } catch (e) { results.push('err ' + (e as Error).message); } })());
  if (i === 10) proxy.cut();
  await new Promise((r) => setTimeout(r, 5));
}
const hung = await Promise.race([Promise.all(ps).then(() => 'all settled'), new Promise((r) => setTimeout(() => r('HUNG after 15 s'), 15000))]);
console.log(hung, results.length, results.slice(0, 20));
proxy.restore();
const t = Date.now();
console.log(await Promise.race([sql`select 2 as x`, new Promise((r) => setTimeout(() => r('select after restore HUNG'), 10000))]), Date.now() - t);
process.exit(0);

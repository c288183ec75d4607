import http from 'node:http';
import { msg } from '../errors.js';
import type { DoctorContext } from './DoctorContext.js';
import { fail, ok, type DoctorCheck } from './types.js';

type PlainHttp = { kind: 'closed' } | { kind: 'redirect'; location: string } | { kind: 'serves'; status: number; location?: string };

/** What plain HTTP on `port` does: nothing, a redirect to our https address, or something else. */
function plainHttp(ctx: DoctorContext, port: number): Promise<PlainHttp> {
  return new Promise((resolve) => {
    const req = http.request({ host: ctx.host, port, lookup: ctx.lookup, path: '/', headers: { host: ctx.host }, agent: false, timeout: Math.min(ctx.timeoutMs, 3000) });
    req.once('response', (res) => {
      res.resume();
      const location = typeof res.headers.location === 'string' ? res.headers.location : '';
      const status = res.statusCode ?? 0;
      const redirect = [301, 302, 307, 308].includes(status) && location.startsWith(`https://${ctx.host}`);
      resolve(redirect ? { kind: 'redirect', location } : { kind: 'serves', status, location });
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve({ kind: 'closed' }));
    req.end();
  });
}

export const portsCheck: DoctorCheck = {
  id: 'ports',
  title: msg('只有 443 对外：80 跳转到 https 或关闭，其他端口关闭', 'Only 443 answers: 80 redirects to https or is closed, other ports closed'),
  needs: 'dns',
  async run(ctx) {
    const [http80, open] = await Promise.all([
      plainHttp(ctx, ctx.httpPort),
      Promise.all(ctx.closedPorts.map(async (p) => ((await ctx.portAnswers(p)) ? p : null))).then((l) => l.filter((p): p is number => p !== null)),
    ]);
    const problems = { zh: [] as string[], en: [] as string[] };
    if (http80.kind === 'serves') {
      problems.zh.push(`${ctx.httpPort} 端口的 HTTP 返回 ${http80.status}${http80.location ? `（跳转到 ${http80.location}）` : ''}，而不是跳转到 https://${ctx.host}`);
      problems.en.push(`plain HTTP on ${ctx.httpPort} answers ${http80.status}${http80.location ? ` (to ${http80.location})` : ''} instead of redirecting to https://${ctx.host}`);
    }
    if (open.length) {
      problems.zh.push(`这些端口可以连接：${open.join('、')}`);
      problems.en.push(`these ports accept connections: ${open.join(', ')}`);
    }
    if (problems.zh.length === 0) {
      const http = http80.kind === 'redirect' ? msg(`${ctx.httpPort} 跳转到 https`, `${ctx.httpPort} redirects to https`) : msg(`${ctx.httpPort} 关闭`, `${ctx.httpPort} closed`);
      if (ctx.closedPorts.length === 0) return ok(http);
      return ok(msg(`${http.zh}；${ctx.closedPorts.join('、')} 关闭`, `${http.en}; ${ctx.closedPorts.join(', ')} closed`));
    }
    return fail(
      msg(problems.zh.join('；'), problems.en.join('; ')),
      msg(
        `防火墙和云安全组只对公网开放 443（和用于跳转的 ${ctx.httpPort}）；数览本身监听 127.0.0.1（SHULAN_HOST=127.0.0.1），数据库不要监听公网地址；${ctx.httpPort} 端口只做跳转（shulan deploy nginx 生成的配置就是这样）。若在服务器本机检查，云防火墙可能没有生效，请以外部访问结果为准`,
          `Open only 443 (and ${ctx.httpPort} for the redirect) to the internet in the firewall and cloud security group; let Shulan listen on 127.0.0.1 (SHULAN_HOST=127.0.0.1) and keep databases off public addresses; make ${ctx.httpPort} only redirect (as the configuration from shulan deploy nginx does). Checked from the server itself, a cloud firewall may not apply: what matters is what the internet sees`,
      ),
    );
  },
};

import { msg } from '../errors.js';
import { errorCode } from './DoctorContext.js';
import { fail, ok, warn, type DoctorCheck } from './types.js';

export const dnsCheck: DoctorCheck = {
  id: 'dns',
  title: msg('域名能解析', 'The name resolves'),
  async run(ctx) {
    if (ctx.opts.resolve && !ctx.opts.lookup) {
      return warn(
        msg(`未查询 DNS：--resolve 把 ${ctx.host} 指向了 ${ctx.opts.resolve}`, `DNS not asked: --resolve points ${ctx.host} at ${ctx.opts.resolve}`),
        msg('域名记录指向本服务器后，去掉 --resolve 再检查一次', 'Once the DNS record points at this server, check again without --resolve'),
      );
    }
    try {
      const addresses = await ctx.addresses();
      return ok(msg(`${ctx.host} → ${addresses.join('、')}`, `${ctx.host} → ${addresses.join(', ')}`));
    } catch (err) {
      return fail(
        msg(`${ctx.host} 无法解析（${errorCode(err)}）`, `${ctx.host} does not resolve (${errorCode(err)})`),
        msg(
          '在域名服务商处添加 A 记录，指向服务器的公网 IP；新记录可能要几分钟才生效',
          "Add an A record at your DNS provider pointing at the server's public IP; a new record can take a few minutes to appear",
        ),
      );
    }
  },
};

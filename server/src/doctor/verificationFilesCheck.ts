import { msg } from '../errors.js';
import { errorCode } from './DoctorContext.js';
import { fail, ok, warn, type DoctorCheck } from './types.js';

export const verificationFilesCheck: DoctorCheck = {
  id: 'verification_files',
  title: msg('域名校验文件可以访问，内容一字不差', 'Verification files reachable, byte for byte'),
  needs: 'https',
  async run(ctx) {
    const files = await ctx.deps.db.selectFrom('wecom_verification_files').select(['name', 'content']).orderBy('name').execute();
    if (files.length === 0) {
      return warn(
        msg('还没有上传校验文件', 'No verification file uploaded yet'),
        msg(
          '小程序的业务域名和企业微信的可信域名各要求一个校验文件：在 系统设置 → 企业微信集成设置 → 域名校验文件 上传',
          "The mini program's business domain and WeCom's trusted domain each need a verification file: upload them under Settings → WeCom integration → Verification files",
        ),
      );
    }
    const bad = { zh: [] as string[], en: [] as string[] };
    for (const f of files) {
      const expected = Buffer.from(f.content, 'utf8');
      try {
        // As WeChat's checker does: no Referer, nothing of the mini program.
        const res = await ctx.request(`/${f.name}`, { 'user-agent': 'Mozilla/5.0 (compatible; shulan-doctor)' });
        if (res.status !== 200) {
          bad.zh.push(`${f.name} 返回 ${res.status}`);
          bad.en.push(`${f.name} answers ${res.status}`);
        } else if (!res.body.equals(expected)) {
          bad.zh.push(`${f.name} 内容不一致（收到 ${res.body.length} 字节，应为 ${expected.length} 字节）`);
          bad.en.push(`${f.name} differs (${res.body.length} bytes received, ${expected.length} expected)`);
        }
      } catch (err) {
        bad.zh.push(`${f.name}：${errorCode(err)}`);
        bad.en.push(`${f.name}: ${errorCode(err)}`);
      }
    }
    if (bad.zh.length === 0) {
      const names = files.map((f) => f.name).join(', ');
      return ok(msg(`${files.length} 个文件与上传的完全相同：${names}`, `${files.length} files identical to the uploads: ${names}`));
    }
    return fail(
      msg(bad.zh.join('；'), bad.en.join('; ')),
      msg(
        '公网域名要把根目录下的 /<名称>.txt 交给数览（shulan deploy nginx 生成的配置会这样做）；手写的 nginx 配置请补上这个 location，并确认域名指向的是这台数览',
        'The public domain must pass /<name>.txt at the root to Shulan (the configuration from shulan deploy nginx does); add that location to a hand-written nginx configuration, and make sure the domain points at this Shulan',
      ),
    );
  },
};

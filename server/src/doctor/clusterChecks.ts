import { liveInstances } from '../cluster/instances.js';
import { msg } from '../errors.js';
import { fail, ok, warn, type DoctorCheck } from './types.js';

const DOCS = 'docs/scale.md';

/** Redis of a cluster: configured when several instances run, and answering. */
export const redisCheck: DoctorCheck = {
  id: 'redis',
  title: msg('Redis（多实例共享的限流、实时推送、企业微信 token）', 'Redis (rate limits, live events and the WeCom token shared by the instances)'),
  async run(ctx) {
    const { config, cluster, db } = ctx.deps;
    const redis = cluster.redis;
    if (!redis) {
      const count = (await liveInstances(db)).length;
      if (count > 1) {
        return fail(
          msg(`有 ${count} 个实例在运行，但没有配置 Redis：限流按实例计算，一个实例上的改动推送不到其他实例`, `${count} instances are running without Redis: limits count per instance, live events do not cross instances`),
          msg(`在每个实例上设置 SHULAN_REDIS_URL（见 ${DOCS}）`, `Set SHULAN_REDIS_URL on every instance (see ${DOCS})`),
        );
      }
      return ok(msg('单实例运行，不需要 Redis（未设置 SHULAN_REDIS_URL）', 'Single instance: no Redis needed (SHULAN_REDIS_URL unset)'));
    }
    const started = Date.now();
    let pong: string | null = null;
    let error = redis.health().lastError ?? '';
    if (redis.up) {
      try {
        pong = await redis.client.ping();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    if (pong !== 'PONG') {
      const since = redis.health().downSince;
      return fail(
        msg(
          `Redis 连不上${since ? `（自 ${since} 起）` : ''}：${error || '未连接'}。登录和报表仍可用，但限流只在本实例内计算，实时推送和企业微信 token 不再跨实例共享`,
          `Redis is unreachable${since ? ` (since ${since})` : ''}: ${error || 'not connected'}. Logins and reports still work, but limits count per instance and live events and the WeCom token are not shared`,
        ),
        msg('检查 Redis 是否在运行、SHULAN_REDIS_URL 是否正确、防火墙是否放行；恢复后各实例自动重连', 'Check that Redis runs, SHULAN_REDIS_URL is right and the firewall lets it through; instances reconnect by themselves'),
      );
    }
    const ms = Date.now() - started;
    const shared = config.sharedDir ? msg(`，共享目录 ${config.sharedDir}`, `, shared dir ${config.sharedDir}`) : msg('', '');
    return ok(msg(`Redis 正常（${ms} ms）${shared.zh}`, `Redis answers (${ms} ms)${shared.en}`));
  },
};

/** Every running instance and its version: all the same, and uploads shared when there are several. */
export const instancesCheck: DoctorCheck = {
  id: 'instances',
  title: msg('实例与版本', 'Instances and their versions'),
  async run(ctx) {
    const { config, db } = ctx.deps;
    const list = await liveInstances(db);
    const names = list.map((i) => `${i.host} ${i.version} (Node.js ${i.nodeVersion})`).join(', ');
    if (list.length === 0) return ok(msg('没有正在运行的实例登记（shulan start 启动后会登记）', 'No running instance registered (shulan start registers itself)'));
    const versions = [...new Set(list.map((i) => i.version))];
    if (versions.length > 1) {
      return fail(
        msg(`实例版本不一致：${names}`, `The instances run different versions: ${names}`),
        msg('把所有实例升级到同一版本（逐个重启，见 docs/scale.md）', 'Upgrade every instance to the same version (restart them one at a time, see docs/scale.md)'),
      );
    }
    if (list.length > 1 && (config.database.kind !== 'postgres' || !config.sharedDir)) {
      return fail(
        msg(`有 ${list.length} 个实例，但本实例没有 PostgreSQL 或共享目录：一个实例上传的数据其他实例看不到`, `${list.length} instances, but this one lacks PostgreSQL or a shared dir: uploads on one are not seen by the others`),
        msg('每个实例都设置 SHULAN_DATABASE_URL 和 SHULAN_SHARED_DIR（见 docs/scale.md）', 'Set SHULAN_DATABASE_URL and SHULAN_SHARED_DIR on every instance (see docs/scale.md)'),
      );
    }
    if (list.length > 1 && !ctx.deps.cluster.redis) {
      return warn(msg(`${list.length} 个实例：${names}`, `${list.length} instances: ${names}`), msg('配置 Redis（见上一项）', 'Configure Redis (see the check above)'));
    }
    return ok(msg(`${list.length} 个实例，版本 ${versions[0]}：${names}`, `${list.length} instance(s) on ${versions[0]}: ${names}`));
  },
};

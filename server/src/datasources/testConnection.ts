import type { TestConnectionResult } from '@shulan/shared';
import type { Lang } from '../http/route.js';
import { explainConnectionError } from './connectionErrors.js';
import type { ExternalConfig } from './ExternalConfig.js';
import { testMysql } from './MysqlConnector.js';
import { testPostgres } from './PostgresConnector.js';

/** Connects once with these settings; a failure comes back as advice, not as an error. */
export async function testConnection(config: ExternalConfig, lang: Lang): Promise<TestConnectionResult> {
  const started = Date.now();
  try {
    const probe = config.kind === 'postgres' ? await testPostgres(config) : await testMysql(config);
    return {
      ok: true,
      message: lang === 'zh' ? '连接成功' : 'Connection succeeded',
      version: probe.version,
      warnings: probe.writeAccess.map((w) => w[lang]),
      elapsedMs: Date.now() - started,
    };
  } catch (err) {
    const explained = explainConnectionError(err, config);
    const text = String((err as { message?: unknown })?.message ?? err).slice(0, 300);
    return {
      ok: false,
      message: explained ? explained[lang] : lang === 'zh' ? `连接失败：${text}` : `Connection failed: ${text}`,
      warnings: [],
      elapsedMs: Date.now() - started,
    };
  }
}

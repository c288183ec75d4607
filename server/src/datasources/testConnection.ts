import type { TestConnectionResult } from '@shulan/shared';
import type { Lang } from '../http/route.js';
import { explainConnectionError } from './connectionErrors.js';
import type { ExternalConfig } from './ExternalConfig.js';

/** Connects once with these settings; a failure comes back as advice, not as an error. */
export async function testConnection(config: ExternalConfig, lang: Lang): Promise<TestConnectionResult> {
  const started = Date.now();
  try {
    // The drivers load on first use: an idle server does not hold them (see Connectors.ts).
    const probe =
      config.kind === 'postgres'
        ? await (await import('./PostgresConnector.js')).testPostgres(config)
        : await (await import('./MysqlConnector.js')).testMysql(config);
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

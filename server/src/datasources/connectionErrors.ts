import { AppError, QueryFailedError, UpstreamError, ValidationError, msg, type Msg } from '../errors.js';
import { MAX_RESULT_ROWS } from './ExternalConfig.js';

export interface Endpoint {
  host: string;
  port: number;
  database: string;
  user: string;
}

interface DriverError {
  code?: string | number;
  errno?: number;
  message?: string;
}

const QUERY_TIMEOUT = msg('查询超过 30 秒，已被取消；请缩小数据范围', 'The query ran over 30 seconds and was cancelled; narrow it down');

/** PostgreSQL 57014 query_canceled, MySQL 3024, MariaDB 1969, mysql2's own timeout, DuckDB interrupt. */
function isQueryTimeout(e: DriverError): boolean {
  const code = String(e.code ?? '');
  return (
    code === '57014' ||
    e.errno === 3024 ||
    e.errno === 1969 ||
    code === 'PROTOCOL_SEQUENCE_TIMEOUT' ||
    /^INTERRUPT Error/i.test(String(e.message ?? ''))
  );
}

/** Turns a driver's connection error into what the admin must do about it. */
export function explainConnectionError(err: unknown, ep: Endpoint): Msg | null {
  const e = (err ?? {}) as DriverError;
  const code = String(e.code ?? '');
  const text = String(e.message ?? '');
  const at = `${ep.host}:${ep.port}`;
  if (isQueryTimeout(e)) return QUERY_TIMEOUT;
  if (code === 'ECONNREFUSED') {
    return msg(`无法连接到 ${at}，请检查地址、端口和防火墙`, `Cannot connect to ${at}; check the host, port and firewall`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return msg(`找不到主机 ${ep.host}，请检查地址`, `Host ${ep.host} not found; check the address`);
  }
  if (code === 'ETIMEDOUT' || /connect(ion)? timeout|timed out|timeout expired/i.test(text)) {
    return msg(
      `连接 ${at} 超时，请检查网络、防火墙和地址`,
      `Connecting to ${at} timed out; check the network, firewall and address`,
    );
  }
  // PostgreSQL 28P01 / 28000, MySQL 1045 ER_ACCESS_DENIED_ERROR.
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045) {
    return msg(
      `用户 ${ep.user} 认证失败，请检查用户名和密码`,
      `Authentication failed for user ${ep.user}; check the user name and password`,
    );
  }
  // PostgreSQL 3D000, MySQL 1049 ER_BAD_DB_ERROR.
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || e.errno === 1049) {
    return msg(`数据库 ${ep.database} 不存在，请检查数据库名`, `Database ${ep.database} does not exist; check its name`);
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR' || e.errno === 1044) {
    return msg(
      `用户 ${ep.user} 没有访问数据库 ${ep.database} 的权限，请在数据库中授权`,
      `User ${ep.user} may not access database ${ep.database}; grant access in the database`,
    );
  }
  if (/does not support SSL|SSL/i.test(text) && /support|required|off/i.test(text)) {
    return msg(`SSL 设置与服务器不一致：${text}`, `The SSL setting does not match the server: ${text}`);
  }
  return null;
}

/** Any failure talking to a source: connection problems → 502 with advice; SQL errors → 400. */
export function sourceError(err: unknown, ep: Endpoint | null): AppError {
  if (err instanceof AppError) return err;
  if (isQueryTimeout((err ?? {}) as DriverError)) return new UpstreamError(QUERY_TIMEOUT);
  const explained = ep ? explainConnectionError(err, ep) : null;
  if (explained) return new UpstreamError(explained);
  return queryFailed(400, err);
}

/**
 * The driver error behind a QueryFailedError, for the SQL editor to find the error's position
 * (PostgreSQL's `position`, DuckDB's LINE excerpt, MySQL's "at line"). Kept off the error object
 * so loggers never serialize it.
 */
export const engineErrors = new WeakMap<QueryFailedError, unknown>();

/** The engine's refusal as an error that never carries SQL text to the client. */
export function queryFailed(status: 400 | 502, err: unknown): QueryFailedError {
  const failed = queryFailedError(status, err);
  engineErrors.set(failed, err);
  return failed;
}

function queryFailedError(status: 400 | 502, err: unknown): QueryFailedError {
  const raw = String((err as DriverError)?.message ?? err);
  const text = withoutSqlText(raw);
  return new QueryFailedError(
    status,
    msg(`查询出错：${text}`, `The query failed: ${text}`),
    msg('查询数据时出错，请联系报表的编辑者检查数据集', 'The data could not be queried; ask the report editor to check the dataset'),
    raw.slice(0, 2000),
  );
}

/** An engine message without the SQL it quotes: DuckDB's "LINE 1: …" excerpt, MySQL's "near '…'". */
export function withoutSqlText(text: string): string {
  return text
    .replace(/\s*\n\s*LINE \d+:[\s\S]*$/, '')
    .replace(/ near '[\s\S]*' at line (\d+)/, ' at line $1')
    .trim()
    .slice(0, 300);
}

/** A statement that returns no rows (SET, CALL, INTO OUTFILE…) reached a connector, which only reads. */
export function notAQuery(): ValidationError {
  return new ValidationError(msg('只允许返回数据的查询语句', 'Only queries that return rows are allowed'));
}

export function tooManyRows(): ValidationError {
  return new ValidationError(
    msg(
      `查询结果超过 ${MAX_RESULT_ROWS} 行，已停止读取；请添加筛选条件或按维度汇总`,
      `The query returns more than ${MAX_RESULT_ROWS} rows and was stopped; add filters or aggregate by a dimension`,
    ),
  );
}

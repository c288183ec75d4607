import type pg from 'pg';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { msg, type Msg } from '../errors.js';

// Shulan only reads, and runs every query read-only; a source account that can write is still
// one mistake (or one database bug) from harm. The connection test says what it could do.

const EXAMPLES = 5;

/** What the connection test learns from a source. */
export interface SourceProbe {
  version: string;
  /** Sentences about what the account could do beyond reading; empty when it only reads. */
  writeAccess: Msg[];
}

export function cannotCheckWriteAccess(err: unknown): Msg[] {
  const text = String((err as { message?: unknown })?.message ?? err).slice(0, 200);
  return [msg(`无法确认该账号是否只读：${text}`, `Could not check whether the account is read-only: ${text}`)];
}

/** What this PostgreSQL account may do beyond reading; empty for a read-only account. */
export async function postgresWriteAccess(client: pg.Client, user: string): Promise<Msg[]> {
  const role = await client.query<{
    rolsuper: boolean;
    rolcreaterole: boolean;
    rolcreatedb: boolean;
    rolbypassrls: boolean;
    server_roles: string[];
    create_schema: boolean;
  }>(
    `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
       ARRAY(SELECT b.rolname::text FROM pg_roles b
             WHERE b.rolname IN ('pg_write_server_files', 'pg_execute_server_program', 'pg_read_server_files', 'pg_write_all_data')
               AND pg_has_role(current_user, b.oid, 'USAGE') ORDER BY 1) AS server_roles,
       has_database_privilege(current_database(), 'CREATE') AS create_schema
     FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const r = role.rows[0];
  if (!r) return [];
  if (r.rolsuper) {
    return [
      msg(
        `账号 ${user} 是超级用户：能改写任何数据、读写服务器上的文件、执行服务器程序`,
        `Account ${user} is a superuser: it can change any data, read and write server files and run server programs`,
      ),
    ];
  }
  const out: Msg[] = [];
  const attributes = [r.rolcreaterole && 'CREATEROLE', r.rolcreatedb && 'CREATEDB', r.rolbypassrls && 'BYPASSRLS'].filter(Boolean);
  if (attributes.length > 0) {
    out.push(msg(`账号 ${user} 有角色属性 ${attributes.join('、')}`, `Account ${user} has the role attributes ${attributes.join(', ')}`));
  }
  if (r.server_roles.length > 0) {
    const names = r.server_roles.join(', ');
    out.push(msg(`账号 ${user} 属于 ${names}，能访问服务器文件或写入全部数据`, `Account ${user} is a member of ${names}: it reaches server files or can write all data`));
  }
  const tables = await client.query<{ name: string; total: string }>(
    `SELECT n.nspname || '.' || c.relname AS name, count(*) OVER () AS total
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'f') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
       AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
     ORDER BY 1 LIMIT ${EXAMPLES}`,
  );
  if (tables.rows.length > 0) {
    const total = Number(tables.rows[0]!.total);
    const names = tables.rows.map((t) => t.name).join(', ');
    out.push(
      msg(
        `账号 ${user} 能写入 ${total} 张表或视图（INSERT/UPDATE/DELETE/TRUNCATE），例如 ${names}`,
        `Account ${user} can write ${total} tables or views (INSERT/UPDATE/DELETE/TRUNCATE), such as ${names}`,
      ),
    );
  }
  const schemas = await client.query<{ s: string }>(
    `SELECT nspname AS s FROM pg_namespace
     WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' AND has_schema_privilege(oid, 'CREATE') ORDER BY 1`,
  );
  if (schemas.rows.length > 0) {
    const names = schemas.rows.map((s) => s.s).join(', ');
    out.push(msg(`账号 ${user} 能在模式 ${names} 中建表`, `Account ${user} can create tables in schema ${names}`));
  }
  if (r.create_schema) {
    out.push(msg(`账号 ${user} 能在这个数据库中创建模式`, `Account ${user} can create schemas in this database`));
  }
  return out;
}

/** Privileges that only read. */
const READ_PRIVILEGES = new Set(['SELECT', 'SHOW VIEW', 'USAGE']);

/** What this MySQL/MariaDB account may do beyond reading, from SHOW GRANTS; empty for a read-only account. */
export async function mysqlWriteAccess(conn: Connection, user: string): Promise<Msg[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW GRANTS');
  const out: Msg[] = [];
  for (const row of rows) {
    // One column whose name contains the account; only the privileges and the object are used
    // (MariaDB prints the password hash in the same line).
    const line = String(Object.values(row)[0] ?? '');
    const grant = /^GRANT\s+(.+?)\s+ON\s+(.+?)\s+TO\s+/is.exec(line);
    if (!grant) {
      const role = /^GRANT\s+(.+?)\s+TO\s+/is.exec(line);
      if (role) {
        out.push(msg(`账号 ${user} 被授予角色 ${role[1]}，请确认该角色只有 SELECT 权限`, `Account ${user} holds role ${role[1]}; make sure it only has SELECT`));
      }
      continue;
    }
    const privileges = grant[1]!
      .replace(/\([^)]*\)/g, '')
      .split(',')
      .map((p) => p.trim().toUpperCase())
      .filter((p) => p !== '' && !READ_PRIVILEGES.has(p));
    if (/WITH\s+GRANT\s+OPTION/i.test(line)) privileges.push('GRANT OPTION');
    if (privileges.length > 0) {
      out.push(msg(`账号 ${user} 在 ${grant[2]} 上有 ${privileges.join('、')} 权限`, `Account ${user} has ${privileges.join(', ')} on ${grant[2]}`));
    }
  }
  return out;
}

import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Connector } from '../../datasources/types.js';

// Test-only writable connections, to create and drop the tables the compiler tests read
// through the product's read-only connectors.

export async function directPostgres(url: string): Promise<Connector> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    dialect: 'postgres',
    async query(sqlText, params) {
      const res = await client.query(sqlText, [...params]);
      return res.rows as Record<string, unknown>[];
    },
    close: () => client.end(),
  };
}

export async function directMysql(url: string): Promise<Connector> {
  const conn = await mysql.createConnection({ uri: url, dateStrings: true });
  return {
    dialect: 'mysql',
    async query(sqlText, params) {
      const [rows] = await conn.query(sqlText, [...params]);
      return rows as Record<string, unknown>[];
    },
    close: () => conn.end(),
  };
}

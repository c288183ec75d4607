import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { verifyPassword } from '../auth/passwords.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

/** A multipart/form-data body with one file and optional text fields, as a browser sends it. */
function multipart(file: { name: string; data: Buffer } | null, fields: Record<string, string> = {}) {
  const boundary = '----shulanTestBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(name: string, data: Buffer, dryRun?: 'true' | 'false', headers = admin.headers) {
  const mp = multipart({ name, data }, dryRun ? { dryRun } : {});
  const res = await t.app.inject({ method: 'POST', url: '/api/users/import', payload: mp.payload, headers: { ...headers, ...mp.headers } });
  return { status: res.statusCode, json: res.json() };
}

const userByName = (username: string) =>
  t.deps.db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();

const groupsOf = async (username: string) => {
  const u = await userByName(username);
  const rows = await t.deps.db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select('groups.name')
    .where('group_members.user_id', '=', u!.id)
    .orderBy('groups.name')
    .execute();
  return rows.map((r) => r.name);
};

const CSV_ZH = [
  '用户名,姓名,手机号,邮箱,部门',
  'zhangsan,张三,13800000001,zs@example.com,销售部',
  'lisi,李四,,,"销售部,财务部"',
  ',无名,13800000003,,',
  'wangwu,,13800000004,,',
  'zhaoliu,赵六,12345,,',
  'sunqi,孙七,,not-an-email,',
  'ZhangSan,张三二号,,,',
  '',
  'zhouba,周八,+86 139-0000-0008,zb@example.com,研发部',
].join('\r\n');

describe('bulk import', () => {
  it('a dry run of a GBK CSV with Chinese headers reports every row and writes nothing', async () => {
    const usersBefore = await t.deps.db.selectFrom('users').select('id').execute();
    const res = await upload('员工.csv', iconv.encode(CSV_ZH, 'gbk'), 'true');
    expect(res.status).toBe(200);
    const r = res.json.data;
    expect(r.dryRun).toBe(true);
    expect(r.counts).toEqual({ created: 3, updated: 0, unchanged: 0, error: 5 });
    expect(r.rows.map((x: any) => [x.row, x.username, x.status])).toEqual([
      [2, 'zhangsan', 'created'],
      [3, 'lisi', 'created'],
      [4, '', 'error'],
      [5, 'wangwu', 'error'],
      [6, 'zhaoliu', 'error'],
      [7, 'sunqi', 'error'],
      [8, 'ZhangSan', 'error'],
      [10, 'zhouba', 'created'],
    ]);
    const msgOf = (row: number) => r.rows.find((x: any) => x.row === row).message;
    expect(msgOf(4)).toContain('缺少用户名');
    expect(msgOf(5)).toContain('缺少姓名');
    expect(msgOf(6)).toContain('手机号无效');
    expect(msgOf(7)).toContain('邮箱无效');
    expect(msgOf(8)).toContain('第 2 行重复');
    expect(r.groupsCreated.sort()).toEqual(['研发部', '财务部', '销售部'].sort());
    expect(r.initialPasswords).toEqual([]);
    expect(await t.deps.db.selectFrom('users').select('id').execute()).toHaveLength(usersBefore.length);
    expect(await t.deps.db.selectFrom('groups').select('id').execute()).toHaveLength(0);
    expect((await t.call({ method: 'GET', url: '/api/audit?action=user.import', headers: admin.headers })).json.data.total).toBe(0);
  });

  it('the real run imports the valid rows, creates the groups and returns initial passwords once', async () => {
    const res = await upload('员工.csv', iconv.encode(CSV_ZH, 'gbk'), 'false');
    expect(res.status).toBe(200);
    const r = res.json.data;
    expect(r.counts).toEqual({ created: 3, updated: 0, unchanged: 0, error: 5 });
    expect(r.initialPasswords.map((p: any) => p.username).sort()).toEqual(['lisi', 'zhangsan', 'zhouba']);
    const zs = await userByName('zhangsan');
    expect(zs).toMatchObject({ display_name: '张三', mobile: '13800000001', email: 'zs@example.com', role: 'viewer', status: 'active' });
    const pw = r.initialPasswords.find((p: any) => p.username === 'zhangsan').password;
    expect(await verifyPassword(zs!.password_hash, pw)).toBe(true);
    expect(zs!.password_hash).not.toContain(pw);
    // argon2id, at the documented initial-password setting (importUsers.ts INITIAL_PASSWORD_ARGON2).
    expect(zs!.password_hash).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    const login = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: 'zhangsan', password: pw, mode: 'token' } });
    expect(login.status).toBe(200);
    expect(await groupsOf('lisi')).toEqual(['财务部', '销售部'].sort());
    expect(await groupsOf('zhouba')).toEqual(['研发部']);
    expect(await userByName('wangwu')).toBeUndefined();
    const log = (await t.call({ method: 'GET', url: '/api/audit?action=user.import', headers: admin.headers })).json.data;
    expect(log.total).toBe(1);
    expect(log.items[0].detail).toMatchObject({ via: 'web', file: '员工.csv', created: 3, error: 5, groupsCreated: 3 });
    expect(JSON.stringify(log)).not.toContain(pw);
  });

  it('re-importing (UTF-8 with BOM, English headers) updates changed users and reports the rest unchanged; never touches password or role', async () => {
    const zsBefore = await userByName('zhangsan');
    await t.deps.db.updateTable('users').set({ role: 'editor' }).where('id', '=', zsBefore!.id).execute();
    const csv = [
      'username,name,mobile,email,group',
      'zhangsan,张三,13800000001,zs@example.com,销售部',
      'LISI,李四四,13900000002,,',
      'zhouba,周八,,,财务部',
    ].join('\n');
    const res = await upload('people.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]));
    expect(res.status).toBe(200);
    const r = res.json.data;
    expect(r.rows.map((x: any) => [x.username, x.status])).toEqual([
      ['zhangsan', 'unchanged'],
      ['LISI', 'updated'],
      ['zhouba', 'updated'],
    ]);
    expect(r.rows[1].message).toMatch(/姓名.*手机号/);
    expect(r.initialPasswords).toEqual([]);
    expect(r.groupsCreated).toEqual([]);
    const lisi = await userByName('lisi');
    expect(lisi).toMatchObject({ username: 'lisi', display_name: '李四四', mobile: '13900000002', email: null });
    expect(await groupsOf('zhouba')).toEqual(['研发部', '财务部'].sort());
    const zs = await userByName('zhangsan');
    expect(zs!.role).toBe('editor');
    expect(zs!.password_hash).toBe(zsBefore!.password_hash);
  });

  it('imports XLSX (first sheet) with numeric mobiles and hyperlink emails', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['账号', '姓名', '手机', '邮箱', '用户组']);
    ws.addRow(['xl.one', '表一', 13700000001, { text: 'one@example.com', hyperlink: 'mailto:one@example.com' }, '销售部']);
    ws.addRow(['xl.two', '表二', null, null, '新部门']);
    ws.addRow(['xl.three', null, null, null, null]);
    wb.addWorksheet('其他').addRow(['username', 'name']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload('people.xlsx', data, 'false');
    expect(res.status).toBe(200);
    const r = res.json.data;
    expect(r.rows.map((x: any) => [x.row, x.username, x.status])).toEqual([
      [2, 'xl.one', 'created'],
      [3, 'xl.two', 'created'],
      [4, 'xl.three', 'error'],
    ]);
    expect(await userByName('xl.one')).toMatchObject({ mobile: '13700000001', email: 'one@example.com' });
    expect(await groupsOf('xl.two')).toEqual(['新部门']);
  });

  it('refuses files it cannot use with a clear 400', async () => {
    const noHeader = await upload('x.csv', Buffer.from('foo,bar\n1,2\n'));
    expect(noHeader.status).toBe(400);
    expect(noHeader.json.error.message).toContain('用户名');
    const empty = await upload('x.csv', Buffer.from(''));
    expect(empty.status).toBe(400);
    const brokenXlsx = await upload('x.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]));
    expect(brokenXlsx.status).toBe(400);
    const noFile = multipart(null, { dryRun: 'true' });
    const res = await t.app.inject({ method: 'POST', url: '/api/users/import', payload: noFile.payload, headers: { ...admin.headers, ...noFile.headers } });
    expect(res.statusCode).toBe(400);
    const json = await t.call({ method: 'POST', url: '/api/users/import', headers: admin.headers, body: {} });
    expect(json.status).toBe(400);
    const badFlag = await upload('x.csv', Buffer.from('username,name\nabc,ABC\n'), 'maybe' as 'true');
    expect(badFlag.status).toBe(400);
  });

  it('refuses a binary file renamed to .csv, saying it is no CSV text file', async () => {
    const binary = Buffer.concat([Buffer.from('username,name\n'), Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00])]);
    const res = await upload('users.csv', binary);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('文件看起来不是 CSV 文本文件');
  });

  it('refuses a file over 10 MB and more than 100k rows with a message saying so', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 'a');
    const res = await upload('big.csv', big);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('10 MB');
    const lines = ['username,name'];
    for (let i = 0; i <= 100_000; i++) lines.push(`u${i},N${i}`);
    const many = await upload('many.csv', Buffer.from(lines.join('\n')));
    expect(many.status).toBe(400);
    expect(many.json.error.message).toContain('100000');
  });
});

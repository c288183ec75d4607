import fs from 'node:fs';
import path from 'node:path';
import { AUDIT_ACTIONS, type AuditEntry } from '@shulan/shared';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zh } from '../../i18n/zh';
import { actionLabel, detailLines, targetText, type Translate } from './describeAudit';

const SERVER_SRC = path.resolve(import.meta.dirname, '../../../../server/src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Top-level arguments of the call whose "(" is at `open`, as source text (strings and nesting respected). */
function callArguments(src: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) {
        args.push(src.slice(start, i).trim());
        return args;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(src.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error('unterminated call');
}

/** Keys written directly in an object literal `{ a: 1, b, ...c }` (spreads cannot be read). */
function literalKeys(objectText: string): string[] {
  if (!objectText.startsWith('{')) return [];
  return callArguments(`(${objectText.slice(1, -1)})`, 0)
    .filter((part) => part && !part.startsWith('...'))
    .map((part) => /^([A-Za-z_$][\w$]*)/.exec(part)?.[1])
    .filter((k): k is string => !!k);
}

interface AuditCall {
  where: string;
  actions: string[];
  detailKeys: string[];
}

/** Every `audit(db, actor, action, target, detail)` call in the server source. */
function auditCalls(): AuditCall[] {
  const calls: AuditCall[] = [];
  for (const file of sourceFiles(SERVER_SRC)) {
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?<![\w.])audit\(/g)) {
      if (src.slice(Math.max(0, m.index - 9), m.index) === 'function ') continue;
      const args = callArguments(src, m.index + 'audit'.length);
      const where = `${path.relative(SERVER_SRC, file)}:${src.slice(0, m.index).split('\n').length}`;
      calls.push({ where, actions: [...(args[2] ?? '').matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)].map((a) => a[1]!), detailKeys: literalKeys(args[4] ?? '') });
    }
  }
  return calls;
}

function lookup(dict: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], dict);
}

describe('every audit action and detail the server writes is shown in words', () => {
  const calls = auditCalls();

  it('finds the audit calls of the server', () => {
    expect(calls.length).toBeGreaterThan(20);
  });

  it('names each action with a string literal from the shared list', () => {
    for (const call of calls) {
      expect(call.actions.length, `${call.where}: write the action as a string literal`).toBeGreaterThan(0);
      for (const action of call.actions) expect(Object.keys(AUDIT_ACTIONS), `${call.where}: add "${action}" to AUDIT_ACTIONS`).toContain(action);
    }
  });

  it('has a Chinese and an English label for every action', () => {
    for (const action of Object.keys(AUDIT_ACTIONS)) {
      expect(typeof lookup(zh.audit.actions, action), `zh label for ${action}`).toBe('string');
      expect(typeof lookup(en.audit.actions, action), `en label for ${action}`).toBe('string');
    }
  });

  it('has a Chinese and an English label for every detail key', () => {
    for (const call of calls) {
      for (const key of call.detailKeys) {
        expect(Object.keys(zh.audit.keys), `${call.where}: zh label for detail "${key}"`).toContain(key);
        expect(Object.keys(en.audit.keys), `${call.where}: en label for detail "${key}"`).toContain(key);
      }
    }
  });
});

describe('an entry in words', () => {
  let t: Translate;
  beforeAll(async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { zh: { translation: zh } }, lng: 'zh', interpolation: { escapeValue: false } });
    t = i18n.t.bind(i18n) as Translate;
  });

  const entry = (over: Partial<AuditEntry>): AuditEntry => ({
    id: 'e1',
    at: '2026-01-01T00:00:00.000Z',
    actor: null,
    action: 'report.grants.update',
    target: '0b6f7c9e-1c1b-4a4e-9a55-0d7c8b7e1f10',
    targetKind: 'report',
    targetName: '月度销售',
    detail: null,
    ...over,
  });

  it('says what happened to which object, with names instead of ids', () => {
    const alive = '5d3c2b1a-0000-4000-8000-000000000001';
    const gone = '5d3c2b1a-0000-4000-8000-000000000002';
    const e = entry({ detail: { addedUsers: [alive, gone], removedUsers: [], addedGroups: [], removedGroups: [] } });
    expect(actionLabel(t, e.action)).toBe('修改报表授权');
    expect(targetText(t, e)).toBe('报表「月度销售」');
    const text = detailLines(t, e, { [alive]: '张三 (zhangsan)' }).map((l) => `${l.label}：${l.value}`);
    expect(text).toEqual(['新授权用户：张三 (zhangsan)、（已删除）', '取消授权用户：无', '新授权用户组：无', '取消授权用户组：无']);
  });

  it('translates roles, field names, matching sources and yes/no', () => {
    const role = entry({ action: 'user.role_change', targetKind: 'user', targetName: '王五 (wang)', detail: { username: 'wang', from: 'viewer', to: 'editor' } });
    expect(detailLines(t, role, {})).toEqual([{ label: '变更', value: '查看者 → 编辑者' }]);
    const update = entry({ action: 'user.update', targetKind: 'user', targetName: '王五 (wang)', detail: { username: 'wang', fields: ['display_name', 'mobile', 'groups'] } });
    expect(detailLines(t, update, {})).toEqual([{ label: '修改的项', value: '姓名、手机号、用户组' }]);
    const ds = entry({ action: 'datasource.update', targetKind: 'datasource', targetName: '生产库', detail: { fields: ['host'], passwordChanged: true } });
    expect(detailLines(t, ds, {}).map((l) => l.value)).toEqual(['主机', '是']);
    const match = entry({ action: 'wecom.match', targetKind: 'user', targetName: '李四 (lisi)', detail: { wecomUserid: 'LiSi', username: 'lisi', source: 'mobile' } });
    expect(detailLines(t, match, { LiSi: '李四' })).toEqual([
      { label: '企业微信成员', value: '李四 (LiSi)' },
      { label: '匹配方式', value: '手机号' },
    ]);
  });

  it('says an object is gone instead of showing its id', () => {
    expect(targetText(t, entry({ targetName: null }))).toBe('报表（已删除）');
    expect(targetText(t, entry({ action: 'wecom.settings_changed', target: 'wecom', targetKind: 'wecom_settings', targetName: null }))).toBe('企业微信集成设置');
  });
});

import type { CorpFixture, MemberInput } from './corp.js';
import { GIVEN_NAMES, MOBILE_PREFIXES, POSITIONS, SUB_DEPARTMENTS, SURNAMES, TEAMS, TOP_DEPARTMENTS } from './names.js';

export interface GenerateOptions {
  members: number;
  /** Default: about one department per 20 members, at least 4, at most 5 000. */
  departments?: number;
  /** Same seed → same corp, byte for byte. */
  seed?: number;
  name?: string;
}

/** mulberry32: small, fast, deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += Math.floor(rand() * 16).toString(16);
  }
  return s;
}

function secret(rand: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let i = 0; i < 43; i++) {
    s += alphabet[Math.floor(rand() * alphabet.length)];
  }
  return s;
}

/** Skews towards the head of a frequency-ordered list (common surnames are much more common). */
function skewed<T>(rand: () => number, list: readonly T[]): T {
  const i = Math.floor(rand() ** 2 * list.length);
  return list[Math.min(i, list.length - 1)] as T;
}

/**
 * A deterministic corp: a department tree at least three levels deep, members with realistic
 * Chinese names (duplicates included), unique mobiles, a few disabled / not activated members, and
 * three apps: the mini program (post-2022, whole corp visible), a contact-sync secret, and an old
 * self-built app that sees only the first top-level department.
 */
export function generateCorp(opts: GenerateOptions): CorpFixture {
  const n = Math.max(0, Math.floor(opts.members));
  const rand = rng(opts.seed ?? 20_220_620);
  const deptCount = Math.max(4, Math.min(5000, opts.departments ?? Math.ceil(n / 20)));

  // Tree: root 1, then `top` first-level departments, each later department hangs under an
  // earlier one `branch` positions back, which gives depth ≥ 3 for any count ≥ 4.
  const top = Math.min(TOP_DEPARTMENTS.length, Math.max(2, Math.round(Math.cbrt(deptCount))));
  const branch = Math.max(2, Math.round(Math.sqrt(deptCount / top)));
  const departments: CorpFixture['departments'] = [{ id: 1, name: opts.name ?? '数览模拟科技有限公司', parentid: 0, order: 100000 }];
  const siblingCount = new Map<number, number>();
  const depth = new Map<number, number>([[1, 0]]);
  for (let k = 0; k < deptCount - 1; k++) {
    const id = k + 2;
    const parentid = k < top ? 1 : Math.floor((k - top) / branch) + 2;
    const j = siblingCount.get(parentid) ?? 0;
    siblingCount.set(parentid, j + 1);
    const level = (depth.get(parentid) ?? 0) + 1;
    depth.set(id, level);
    // Sibling names must be unique in WeCom: cycle through the pool, then number the repeats.
    const pool = level === 1 ? TOP_DEPARTMENTS : level === 2 ? SUB_DEPARTMENTS : TEAMS;
    const base = pool[j % pool.length] ?? '部门';
    const name = j >= pool.length ? `${base}${Math.floor(j / pool.length) + 1}` : base;
    departments.push({ id, name, parentid, order: 100000 - j * 100 });
  }

  const members: MemberInput[] = [];
  const userids = new Set<string>();
  // Unique mobiles: for each prefix, an affine map i → (a·i + b) mod 10^8 with a coprime to 10^8.
  const a = 7_654_321;
  const b = Math.floor(rand() * 1e8);
  for (let i = 0; i < n; i++) {
    const forcedZhangWei = n >= 10 && (i === 3 || i === 7);
    const s = forcedZhangWei ? { zh: '张', py: 'Zhang' } : skewed(rand, SURNAMES);
    const g = forcedZhangWei ? { zh: '伟', py: 'Wei' } : skewed(rand, GIVEN_NAMES);
    let userid = `${s.py}${g.py}`;
    for (let k = 2; userids.has(userid.toLowerCase()); k++) {
      userid = `${s.py}${g.py}${String(k).padStart(2, '0')}`;
    }
    userids.add(userid.toLowerCase());
    const prefix = MOBILE_PREFIXES[i % MOBILE_PREFIXES.length] ?? '138';
    const serial = (a * Math.floor(i / MOBILE_PREFIXES.length) + b) % 1e8;
    const mobile = `${prefix}${String(serial).padStart(8, '0')}`;
    // Prefer the deeper departments, where people actually work.
    const d1 = 2 + Math.floor((1 - rand() ** 2) * (deptCount - 1));
    const dept = [Math.min(d1, deptCount)];
    if (rand() < 0.05) {
      const d2 = 2 + Math.floor(rand() * (deptCount - 1));
      if (d2 !== dept[0]) {
        dept.push(d2);
      }
    }
    const r = rand();
    const status = i === 5 ? 2 : r < 0.01 ? 2 : r < 0.03 ? 4 : 1;
    const gender = rand() < 0.5 ? '1' : '2';
    members.push({
      userid,
      name: `${s.zh}${g.zh}`,
      mobile,
      email: `${userid.toLowerCase()}@shulan-sim.example.com`,
      department: dept,
      main_department: dept[0],
      position: POSITIONS[Math.floor(rand() * POSITIONS.length)] ?? '',
      gender,
      avatar: `https://wework.qpic.cn/wwpic/${hex(rand, 12)}/0`,
      status,
    });
  }

  return {
    corpid: `ww${hex(rand, 16)}`,
    name: opts.name ?? '数览模拟科技有限公司',
    departments,
    members,
    apps: [
      {
        name: '数览小程序',
        kind: 'miniprogram',
        agentid: 1000002,
        appid: `wx${hex(rand, 16)}`,
        secret: secret(rand),
        visible: { departments: [1], users: [] },
        trustedIps: [],
        createdAfter20220620: true,
      },
      { name: '通讯录同步', kind: 'contact_sync', secret: secret(rand), trustedIps: [], createdAfter20220620: true },
      {
        name: '旧版自建应用',
        kind: 'self_built',
        agentid: 1000003,
        secret: secret(rand),
        visible: { departments: [2], users: [] },
        trustedIps: [],
        createdAfter20220620: false,
      },
    ],
  };
}

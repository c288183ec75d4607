import type { PersonnelPage, PersonnelQuery } from '@shulan/shared';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../db/createDb.js';
import type { Database } from '../db/schema.js';
import { startsWith, toUserViews } from './userRepo.js';

type Eb = ExpressionBuilder<Database, 'users'>;


/** The personnel filters as one WHERE expression, shared by the page query and the count. */
function filters(eb: Eb, q: PersonnelQuery): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [];
  if (q.q) {
    // Prefix matches only, so the *_prefix indexes (migration 003) serve them.
    conds.push(
      eb.or([
        startsWith('users.username_key', q.q.toLowerCase()),
        startsWith('users.display_name', q.q),
        startsWith('users.mobile', q.q),
        startsWith('users.email', q.q),
      ]),
    );
  }
  if (q.status) conds.push(eb('users.status', '=', q.status));
  if (q.role) conds.push(eb('users.role', '=', q.role));
  if (q.groupId) {
    conds.push(
      eb('users.id', 'in', eb.selectFrom('group_members').select('group_members.user_id').where('group_members.group_id', '=', q.groupId)),
    );
  }
  if (q.wecom) {
    // Correlated EXISTS on the wecom_bindings primary key (user_id): one index probe per user.
    const bound = eb.exists(eb.selectFrom('wecom_bindings').select('wecom_bindings.user_id').whereRef('wecom_bindings.user_id', '=', 'users.id'));
    conds.push(q.wecom === 'matched' ? bound : eb.not(bound));
  }
  return eb.and(conds);
}

/** 企业域管理 → 人员信息: one page of users plus the total, groups fetched in one extra query. */
export async function listPersonnel(db: Db, q: PersonnelQuery): Promise<PersonnelPage> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('users')
      .selectAll()
      .where((eb) => filters(eb, q))
      .orderBy('users.created_at')
      .orderBy('users.id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => filters(eb, q))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: await toUserViews(db, rows), total: Number(count.n) };
}

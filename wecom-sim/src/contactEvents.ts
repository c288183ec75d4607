import type { CallbackSender, EventField } from './callbacks.js';
import type { Department, Member } from './corp.js';

/** The member fields of a create_user / update_user event, in the documented order (§5.6). */
function memberFields(m: Member): EventField[] {
  const f: (EventField | null)[] = [
    ['Name', m.name],
    ['Department', m.department.join(',')],
    ['MainDepartment', m.main_department],
    ['IsLeaderInDept', m.is_leader_in_dept.join(',')],
    ['DirectLeader', m.direct_leader.join(',')],
    ['Position', m.position],
    m.mobile !== undefined ? ['Mobile', m.mobile] : null,
    ['Gender', Number(m.gender)],
    m.email !== undefined ? ['Email', m.email] : null,
    m.biz_mail !== undefined ? ['BizMail', m.biz_mail] : null,
    ['Status', m.status],
    m.avatar !== undefined ? ['Avatar', m.avatar] : null,
    ['Alias', m.alias],
    ['Telephone', m.telephone],
    m.address !== undefined ? ['Address', m.address] : null,
  ];
  return f.filter((x): x is EventField => x !== null);
}

/** Turns changes made through the controls into the events WeCom would call back. */
export class ContactEvents {
  constructor(private readonly sender: CallbackSender) {}

  private get reduced(): boolean {
    return this.sender.config?.reduced ?? false;
  }

  memberCreated(m: Member): void {
    const fields = this.reduced ? [['Department', m.department.join(',')] as EventField] : memberFields(m);
    this.sender.changeContact('create_user', m.userid, [['UserID', m.userid], ...fields]);
  }

  /** Only the fields that changed (SDK struct; the status among them when it changed). */
  memberUpdated(before: Member, after: Member): void {
    if (this.reduced) {
      this.sender.changeContact('update_user', after.userid, [['UserID', after.userid], ['Department', after.department.join(',')]]);
      return;
    }
    const old = new Map(memberFields(before).map(([k, v]) => [k, v]));
    const changed = memberFields(after).filter(([k, v]) => old.get(k) !== v);
    if (changed.length === 0) return;
    this.sender.changeContact('update_user', after.userid, [['UserID', after.userid], ...changed]);
  }

  memberDeleted(userid: string): void {
    this.sender.changeContact('delete_user', userid, [['UserID', userid]]);
  }

  departmentCreated(d: Department): void {
    const fields: EventField[] = this.reduced ? [['ParentId', d.parentid]] : [['Name', d.name], ['ParentId', d.parentid], ['Order', d.order]];
    this.sender.changeContact('create_party', String(d.id), [['Id', d.id], ...fields]);
  }

  departmentUpdated(before: Department, after: Department): void {
    const moved = before.parentid !== after.parentid;
    if (this.reduced) {
      if (moved) this.sender.changeContact('update_party', String(after.id), [['Id', after.id], ['ParentId', after.parentid]]);
      return;
    }
    if (!moved && before.name === after.name) return;
    this.sender.changeContact('update_party', String(after.id), [['Id', after.id], ['Name', after.name], ['ParentId', after.parentid]]);
  }

  departmentDeleted(id: number): void {
    this.sender.changeContact('delete_party', String(id), [['Id', id]]);
  }
}

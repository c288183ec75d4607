import type { GroupView } from '@shulan/shared';
import { TreeSelect } from 'antd';

interface Node {
  value: string;
  title: string;
  children: Node[];
}

/** WeCom department groups as a tree (parentId links them), for grants and rules. */
export function departmentTree(groups: GroupView[]): Node[] {
  const depts = groups.filter((g) => g.source === 'wecom_department');
  const nodes = new Map(depts.map((g) => [g.id, { value: g.id, title: g.name.split('/').pop() ?? g.name, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const g of depts) {
    const n = nodes.get(g.id)!;
    const parent = g.parentId ? nodes.get(g.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

export function DepartmentPicker({ groups, value, onChange, testId }: { groups: GroupView[]; value: string[]; onChange: (ids: string[]) => void; testId?: string }) {
  return (
    <TreeSelect
      multiple
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      style={{ width: '100%' }}
      value={value}
      onChange={(v: string[]) => onChange(v)}
      treeData={departmentTree(groups)}
      data-testid={testId}
    />
  );
}

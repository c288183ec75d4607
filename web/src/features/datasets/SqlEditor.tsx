import { CaretRightOutlined, TableOutlined } from '@ant-design/icons';
import { MySQL, PostgreSQL, sql } from '@codemirror/lang-sql';
import type { DatasourceView, RunSqlResult, SourceSchema } from '@shulan/shared';
import CodeMirror, { EditorSelection, EditorView, keymap, Prec, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, Input, Table, Tag, Tree, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../api/apiClient';

/** Where the server says the error is (1-based), to put the cursor there. */
interface ErrorWhere {
  line: number;
  column: number | null;
}

const ROW_CAP = 100;

/**
 * The SQL of a SQL dataset: CodeMirror with completion from the source's tables and columns, a
 * schema browser beside it, and "run" showing the first rows or the error at its line and column.
 * Uploaded tables appear (and are written) by their display names.
 */
export function SqlEditor({ source, value, onChange }: { source: DatasourceView | undefined; value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const editor = useRef<ReactCodeMirrorRef>(null);
  const [search, setSearch] = useState('');
  const schema = useQuery({
    queryKey: ['datasources', source?.id, 'schema'],
    queryFn: () => api.get<SourceSchema>(`/datasources/${source!.id}/schema`),
    enabled: !!source,
  });
  const run = useMutation({
    mutationFn: (text: string) => api.post<RunSqlResult>(`/datasources/${source!.id}/run-sql`, { sql: text, limit: ROW_CAP }),
  });
  const mysql = source?.kind === 'mysql';
  const quote = (name: string) => (/^[a-z_][a-z_\d]*$/.test(name) ? name : mysql ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`);

  const extensions = useMemo(() => {
    const namespace = Object.fromEntries((schema.data?.tables ?? []).map((tb) => [tb.name, tb.columns.map((c) => c.name)]));
    return [
      // DuckDB quotes and casts like PostgreSQL.
      sql({ dialect: mysql ? MySQL : PostgreSQL, schema: namespace, upperCaseKeywords: true }),
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: (view) => (runSql(view.state.doc.toString()), true) }])),
      EditorView.lineWrapping,
    ];
    // runSql reads the latest source through the mutation; the schema and dialect decide the rest.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schema.data, mysql]);

  function runSql(text: string) {
    if (source && text.trim()) run.mutate(text);
  }

  const insert = (text: string) => {
    const view = editor.current?.view;
    if (!view) return onChange?.((value ?? '') + text);
    view.dispatch(view.state.replaceSelection(text));
    view.focus();
  };

  const goTo = (where: ErrorWhere) => {
    const view = editor.current?.view;
    if (!view) return;
    const line = view.state.doc.line(Math.min(where.line, view.state.doc.lines));
    const pos = Math.min(line.from + (where.column ?? 1) - 1, line.to);
    view.dispatch({ selection: EditorSelection.cursor(pos), scrollIntoView: true });
    view.focus();
  };

  const needle = search.trim().toLowerCase();
  const tables = (schema.data?.tables ?? []).filter((tb) => !needle || tb.name.toLowerCase().includes(needle) || tb.columns.some((c) => c.name.toLowerCase().includes(needle)));
  const error = run.error;
  const details = error instanceof ApiError ? (error.details as Partial<ErrorWhere> | undefined) : undefined;
  const where: ErrorWhere | null = typeof details?.line === 'number' ? { line: details.line, column: details.column ?? null } : null;

  return (
    <Flex vertical gap={8}>
      <Flex gap={8} style={{ minHeight: 260 }}>
        <Flex vertical gap={4} style={{ width: 220, flex: 'none' }} data-testid="sql-schema">
          <Typography.Text strong>{t('sqlEditor.schema')}</Typography.Text>
          <Input size="small" allowClear placeholder={t('sqlEditor.searchTables')} value={search} onChange={(e) => setSearch(e.target.value)} />
          <div style={{ overflow: 'auto', maxHeight: 300, border: '1px solid #f0f0f0', borderRadius: 6 }}>
            {schema.error ? <Alert type="error" message={errorMessage(schema.error)} /> : null}
            {!schema.isPending && tables.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
            <Tree
              blockNode
              selectable={false}
              treeData={tables.map((tb) => ({
                key: tb.name,
                title: (
                  <span onDoubleClick={() => insert(quote(tb.name))} title={tb.name}>
                    <TableOutlined /> {tb.name}
                  </span>
                ),
                children: tb.columns.map((c) => ({
                  key: `${tb.name}\u0000${c.name}`,
                  isLeaf: true,
                  title: (
                    <span onClick={() => insert(quote(c.name))}>
                      {c.name} <Tag style={{ marginInlineStart: 4, fontSize: 11 }}>{t(`fieldTypes.${c.type}`)}</Tag>
                    </span>
                  ),
                })),
              }))}
            />
          </div>
        </Flex>
        <Flex vertical gap={4} style={{ flex: 1, minWidth: 0 }}>
          <div style={{ border: '1px solid #d9d9d9', borderRadius: 6, overflow: 'hidden' }} data-testid="sql-editor">
            <CodeMirror
              ref={editor}
              value={value ?? ''}
              onChange={(v) => onChange?.(v)}
              extensions={extensions}
              height="260px"
              placeholder="SELECT …"
              basicSetup={{ foldGutter: false, highlightActiveLine: false }}
            />
          </div>
          <Flex justify="space-between" align="center">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('sqlEditor.shortcut')}
            </Typography.Text>
            <Button icon={<CaretRightOutlined />} loading={run.isPending} disabled={!source || !(value ?? '').trim()} onClick={() => runSql(value ?? '')} data-testid="sql-run">
              {t('sqlEditor.run')}
            </Button>
          </Flex>
        </Flex>
      </Flex>
      <div data-testid="sql-result">
        {error ? (
          <Alert
            type="error"
            showIcon
            message={errorMessage(error)}
            action={where ? <Button size="small" onClick={() => goTo(where)}>{t('calc.goTo')}</Button> : undefined}
          />
        ) : run.data ? (
          <Table
            size="small"
            rowKey={(_, i) => String(i)}
            scroll={{ x: 'max-content', y: 240 }}
            pagination={false}
            title={() => (run.data.truncated ? t('sqlEditor.truncated', { n: ROW_CAP }) : t('sqlEditor.firstRows', { n: run.data.rows.length }))}
            locale={{ emptyText: t('sqlEditor.noRows') }}
            dataSource={run.data.rows}
            columns={run.data.fields.map((f) => ({
              key: f.name,
              dataIndex: f.name,
              title: f.name,
              render: (v: unknown) => (v === null || v === undefined ? '—' : String(v)),
            }))}
          />
        ) : null}
      </div>
    </Flex>
  );
}

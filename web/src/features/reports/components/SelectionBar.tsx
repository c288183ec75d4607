import type { SelectionItem, WidgetInput as Widget } from '@shulan/shared';
import { Button, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { categoryLabel } from '../interaction';

/** The linkage in effect: one chip per widget clicked ("区域 = 华东 ×"), and one click clears them all. */
export function SelectionBar({ selection, widgets, onChange }: { selection: SelectionItem[]; widgets: Pick<Widget, 'id' | 'title'>[]; onChange: (s: SelectionItem[]) => void }) {
  const { t } = useTranslation();
  if (selection.length === 0) return null;
  const sources = [...new Set(selection.map((s) => s.widgetId))];
  return (
    <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }} data-testid="selection-bar">
      <Typography.Text type="secondary">{t('interaction.selection')}</Typography.Text>
      {sources.map((id) => {
        const items = selection.filter((s) => s.widgetId === id);
        const title = widgets.find((w) => w.id === id)?.title || id;
        return (
          <Tag
            key={id}
            color="blue"
            closable
            closeIcon={<span aria-label={t('interaction.removeSelection')}>×</span>}
            onClose={(e) => {
              e.preventDefault();
              onChange(selection.filter((s) => s.widgetId !== id));
            }}
            title={title}
            data-testid="selection-chip"
          >
            {items.map((s) => `${s.field} = ${categoryLabel(s.value, s.grain)}`).join(' · ')}
          </Tag>
        );
      })}
      <Button size="small" type="link" onClick={() => onChange([])} data-testid="selection-clear">
        {t('interaction.clearAll')}
      </Button>
    </Flex>
  );
}

import { Flex, Form, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Widget } from '../../../../api/types';

/** Width and height in grid units: the keyboard way to do what the resize handle does. */
export function LayoutSettings({ layout, onChange }: { layout: Widget['layout']; onChange: (l: Widget['layout']) => void }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8}>
      <Form.Item label={t('widget.width')} style={{ flex: 1 }}>
        <InputNumber data-testid="layout-width" min={1} max={12} value={layout.w} addonAfter="/ 12" style={{ width: '100%' }}
          onChange={(v) => v && onChange({ ...layout, w: v, x: Math.min(layout.x, 12 - v) })} />
      </Form.Item>
      <Form.Item label={t('widget.height')} style={{ flex: 1 }}>
        <InputNumber data-testid="layout-height" min={1} max={40} value={layout.h} style={{ width: '100%' }} onChange={(v) => v && onChange({ ...layout, h: v })} />
      </Form.Item>
    </Flex>
  );
}

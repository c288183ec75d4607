import type { WidgetOptions } from '@shulan/shared';
import { Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';

export const TEXT_MAX = 2000;

/** A text widget's words and style: plain text, line breaks kept, never read as HTML. */
export function TextSettings({ options, onChange }: { options: WidgetOptions | undefined; onChange: (o: WidgetOptions, mark?: string) => void }) {
  const { t } = useTranslation();
  const current = options ?? {};
  return (
    <>
      <Form.Item label={t('textWidget.style')}>
        <Radio.Group
          value={current.textStyle ?? 'body'}
          onChange={(e) => onChange({ ...current, textStyle: e.target.value })}
          options={[
            { value: 'title', label: t('textWidget.title') },
            { value: 'body', label: t('textWidget.body') },
          ]}
          optionType="button"
        />
      </Form.Item>
      <Form.Item label={t('textWidget.text')}>
        <Input.TextArea
          data-testid="text-widget-text"
          value={current.text ?? ''}
          maxLength={TEXT_MAX}
          showCount
          autoSize={{ minRows: 3, maxRows: 12 }}
          placeholder={t('textWidget.placeholder')}
          onChange={(e) => onChange({ ...current, text: e.target.value }, 'text')}
        />
      </Form.Item>
    </>
  );
}

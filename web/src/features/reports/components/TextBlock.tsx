import type { WidgetOptions } from '@shulan/shared';

/** A text widget: a heading or a paragraph. React escapes it, so markup shows as typed; line breaks are kept. */
export function TextBlock({ options }: { options: WidgetOptions | undefined }) {
  const style = options?.textStyle ?? 'body';
  return (
    <div className={`text-widget text-widget-${style}`} data-testid={`text-widget-${style}`}>
      {options?.text ?? ''}
    </div>
  );
}

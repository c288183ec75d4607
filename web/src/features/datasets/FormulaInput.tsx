import { FORMULA_FUNCTIONS } from '@shulan/shared';
import { Input, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { forwardRef, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/i18n';
import { applyCompletion, formulaCompletions, type Completion, type CompletionItem } from './formulaCompletion';

/**
 * The formula box of a calculated field: a plain text area with a suggestion list under it while
 * typing — the dataset's fields (inserted as `[名称]`), the functions (`SUM(`) and the keywords.
 * ↑/↓ choose, Enter or Tab take one, Esc closes; a click takes one too.
 */
export const FormulaInput = forwardRef<TextAreaRef, {
  value: string;
  onChange: (v: string) => void;
  fieldNames: readonly string[];
  placeholder?: string;
}>(function FormulaInput({ value, onChange, fieldNames, placeholder }, ref) {
  const { t } = useTranslation();
  const area = useRef<TextAreaRef>(null);
  useImperativeHandle(ref, () => area.current!, []);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const lang = currentLanguage();
  const textArea = () => area.current?.resizableTextArea?.textArea;
  /** Where the cursor goes once a taken suggestion is in the text area. */
  const caretAfterTake = useRef<number | null>(null);
  // In the same commit as the new text, before the browser handles the next key: set a frame
  // later, a key typed in between landed after the cursor and the cursor jumped back before it.
  useLayoutEffect(() => {
    const el = textArea();
    if (caretAfterTake.current === null || !el || el.value !== value) return;
    el.setSelectionRange(caretAfterTake.current, caretAfterTake.current);
    caretAfterTake.current = null;
  });

  const suggest = (text: string, caret: number) => {
    setCompletion(formulaCompletions(text, caret, fieldNames));
    setActive(0);
  };
  const take = (item: CompletionItem) => {
    if (!completion) return;
    const next = applyCompletion(value, completion, item);
    caretAfterTake.current = next.caret;
    textArea()?.focus();
    onChange(next.text);
    setCompletion(null);
  };
  const items = completion?.items ?? [];
  const describe = (item: CompletionItem) => {
    if (item.kind === 'field') return t('calc.suggestField');
    if (item.kind === 'keyword') return t('calc.suggestKeyword');
    const f = FORMULA_FUNCTIONS.find((x) => x.name === item.label);
    return f ? `${f.name}${f.args[lang]} · ${f[lang]}` : '';
  };

  return (
    <div style={{ position: 'relative' }}>
      <Input.TextArea
        ref={area}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          suggest(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={(e) => {
          if (!items.length) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
          } else if (e.key === 'Enter' || e.key === 'Tab') {
            e.preventDefault();
            take(items[active] ?? items[0]!);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            setCompletion(null);
          } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
            setCompletion(null);
          }
        }}
        onClick={() => setCompletion(null)}
        onBlur={() => setCompletion(null)}
        autoSize={{ minRows: 2, maxRows: 8 }}
        style={{ fontFamily: 'monospace' }}
        placeholder={placeholder}
        maxLength={2000}
        data-testid="calc-expression"
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={items.length ? 'calc-suggestions' : undefined}
        aria-autocomplete="list"
        aria-activedescendant={items.length ? `calc-suggestion-${active}` : undefined}
      />
      {items.length ? (
        <ul className="formula-suggestions" id="calc-suggestions" role="listbox" aria-label={t('calc.suggestions')} data-testid="calc-suggestions">
          {items.map((item, i) => (
            <li
              key={`${item.kind}:${item.label}`}
              id={`calc-suggestion-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'formula-suggestion-active' : undefined}
              // mousedown, not click: the text area keeps its focus and cursor.
              onMouseDown={(e) => {
                e.preventDefault();
                take(item);
              }}
              onMouseEnter={() => setActive(i)}
              data-testid="calc-suggestion"
            >
              <span className="formula-suggestion-label">{item.kind === 'field' ? `[${item.label}]` : item.kind === 'function' ? `${item.label}(` : item.label}</span>
              <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>{describe(item)}</Typography.Text>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});

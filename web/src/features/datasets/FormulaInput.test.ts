// @vitest-environment jsdom
import { act, createElement, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FormulaInput } from './FormulaInput';

// React only batches and flushes act() updates where it is told it runs under a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// jsdom does no layout, so it has no ResizeObserver; antd's auto-sizing text area only needs one to exist.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

let host: HTMLDivElement;
let root: Root;
let current = '';

function Box() {
  const [value, setValue] = useState('');
  current = value;
  return createElement(FormulaInput, { value, onChange: setValue, fieldNames: ['销售额', '利润'] });
}

const area = () => host.querySelector('textarea')!;

/** One typed character, as the browser does it: at the cursor, then an input event. */
function typeChar(ch: string) {
  const el = area();
  const at = el.selectionStart;
  const text = el.value.slice(0, at) + ch + el.value.slice(el.selectionEnd);
  // React tracks the value it last set; the prototype's setter makes this look like the user's edit.
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, text);
  el.setSelectionRange(at + 1, at + 1);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
function type(text: string) {
  for (const ch of text) act(() => typeChar(ch));
}
function press(key: string) {
  act(() => {
    area().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
}
/** Lets the browser draw a frame (anything the component left for the next frame runs). */
const nextFrame = () => act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root.render(createElement(Box)));
  area().focus();
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('FormulaInput', () => {
  it('puts the cursor after a taken suggestion at once, so keys typed straight after it land after it', async () => {
    type('su');
    press('Enter');
    expect(current).toBe('SUM(');
    type('[销');
    press('Enter');
    expect(current).toBe('SUM([销售额]');
    // The next key comes before the browser's next frame (a fast typist, a busy machine).
    type(')');
    await nextFrame();
    type(' / co');
    press('Enter');
    type(')');
    await nextFrame();
    expect(current).toBe('SUM([销售额]) / COUNT()');
    expect(area().selectionStart).toBe(current.length);
  });

  it('keeps the cursor inside a function put in before text already there', async () => {
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(area(), ' / 2');
      area().setSelectionRange(0, 0);
      area().dispatchEvent(new Event('input', { bubbles: true }));
    });
    type('ro');
    press('Enter');
    await nextFrame();
    expect(current).toBe('ROUND( / 2');
    expect(area().selectionStart).toBe('ROUND('.length);
  });
});

import { useCallback, useEffect, useState } from 'react';
import type { ReportDefinition } from '../../api/types';
import { record, redo, startHistory, undo, type History } from './reportDraft';

/** Whether a key press belongs to a text field (its own undo), not to the canvas. */
function inTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.getAttribute('role') === 'combobox';
}

/**
 * The report definition being edited, with undo/redo (toolbar and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y,
 * ⌘ on macOS). `change` makes an undo step (typing with the same `mark` folds into one);
 * `settle` adjusts the current step without one (the grid compacting after an add).
 */
export function useDraft(initial: ReportDefinition) {
  // `saved` is the definition last saved (or loaded): the draft is dirty while `present` is another one.
  const [state, setState] = useState<{ h: History<ReportDefinition>; saved: ReportDefinition }>(() => ({ h: startHistory(initial), saved: initial }));
  const history = state.h;

  const change = useCallback(
    (fn: (d: ReportDefinition) => ReportDefinition, mark?: string) => setState((s) => ({ ...s, h: record(s.h, fn(s.h.present), mark ?? null) })),
    [],
  );
  // The grid tidying a freshly opened report is no edit of the user's: it stays clean.
  const settle = useCallback((fn: (d: ReportDefinition) => ReportDefinition) => setState((s) => {
    const next = fn(s.h.present);
    if (next === s.h.present) return s;
    return { h: { ...s.h, present: next }, saved: s.saved === s.h.present ? next : s.saved };
  }), []);
  const doUndo = useCallback(() => setState((s) => ({ ...s, h: undo(s.h) })), []);
  const doRedo = useCallback(() => setState((s) => ({ ...s, h: redo(s.h) })), []);
  const markSaved = useCallback((d: ReportDefinition) => setState((s) => ({ ...s, saved: d })), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || inTextField(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) doUndo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') doRedo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndo, doRedo]);

  return {
    definition: history.present,
    change,
    settle,
    undo: doUndo,
    redo: doRedo,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    dirty: history.present !== state.saved,
    markSaved,
  };
}

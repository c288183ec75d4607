import { presetChips, type SheetItem } from '../../utils/filters';
import { currentLang, texts } from '../../utils/i18n';

/**
 * Report filters in a bottom sheet: date ranges with pickers, value lists as chips. It emits
 * `close` for a tap on the mask and for the back gesture / back key (through page-container).
 */
Component({
  properties: {
    show: { type: Boolean, value: false },
    items: { type: Array, value: [] },
  },
  data: { t: texts(), presets: presetChips(currentLang()) },
  methods: {
    onDate(e: WechatMiniprogram.PickerChange) {
      const { index, end } = e.currentTarget.dataset as { index: number; end: 'from' | 'to' };
      // A date picked by hand replaces a relative date.
      this.setData({ [`items[${index}].${end}`]: String(e.detail.value), [`items[${index}].preset`]: '' });
    },
    /** 本月, 近 7 天…: tapping the chosen one again clears it. */
    onPreset(e: WechatMiniprogram.TouchEvent) {
      const { index, preset } = e.currentTarget.dataset as { index: number; preset: string };
      const items = this.data.items as SheetItem[];
      const next = items[index]?.preset === preset ? '' : preset;
      this.setData({ [`items[${index}].preset`]: next, [`items[${index}].from`]: '', [`items[${index}].to`]: '' });
    },
    onToggle(e: WechatMiniprogram.TouchEvent) {
      const { index, option } = e.currentTarget.dataset as { index: number; option: number };
      const items = this.data.items as SheetItem[];
      const current = items[index]?.options[option]?.selected ?? false;
      this.setData({ [`items[${index}].options[${option}].selected`]: !current });
    },
    onReset() {
      const items = (this.data.items as SheetItem[]).map((i) => ({ ...i, from: '', to: '', preset: '', options: i.options.map((o) => ({ ...o, selected: false })) }));
      this.setData({ items });
    },
    onApply() {
      this.triggerEvent('apply', { items: this.data.items });
    },
    onClose() {
      this.triggerEvent('close', {});
    },
    /** page-container left by a back gesture or back key while the page still shows the sheet. */
    onLeave() {
      if (this.data.show) this.triggerEvent('close', {});
    },
    /** Swallows touchmove on the mask (bound with catch) so the page under it stays put. */
    noop() {},
  },
});

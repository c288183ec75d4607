import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { currentLanguage, rememberLanguage, type Language } from './lang';
import { zh } from './zh';

export type { Language };
export { currentLanguage };

void i18next.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: currentLanguage(),
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
});

/** Switches the UI language and remembers it; API calls pick it up through Accept-Language. */
export function setLanguage(lang: Language): void {
  rememberLanguage(lang);
  void i18next.changeLanguage(lang);
}

export { i18next };

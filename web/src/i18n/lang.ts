// The UI language without i18next: the lean login page and the API client need only this, so the
// login route does not load i18next and every string of the app.
export type Language = 'zh' | 'en';
const STORAGE_KEY = 'shulan.lang';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Language = storedLanguage();
document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';

export function currentLanguage(): Language {
  return current;
}

/** Remembers the choice (localStorage) and sets `<html lang>`; i18n.ts also switches i18next. */
export function rememberLanguage(lang: Language): void {
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this tab only.
  }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

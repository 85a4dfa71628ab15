import i18next, { type i18n, type ResourceLanguage } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ERROR_MESSAGES_EN, ERROR_MESSAGES_ZH } from './error-messages';
import { browserStorage, type KeyValueStorage } from './storage';
import { WEB_TEXTS_EN, WEB_TEXTS_ZH } from './web-texts';

/** zh-CN first, English second: residents and cashiers read Chinese; visitors and auditors may not. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const LANGUAGE_KEY = 'quan.language';

function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** The language chosen earlier on this device (shared by the apps of one origin), else zh-CN. */
export function storedLanguage(storage: KeyValueStorage = browserStorage()): Language {
  const value = storage.getItem(LANGUAGE_KEY);
  return isLanguage(value) ? value : DEFAULT_LANGUAGE;
}

/** An app's texts: per language, its namespaces (`common`, `login`, …). The `errors` and `web` namespaces are added here. */
export type AppResources = Record<Language, Record<string, ResourceLanguage[string]>>;

/**
 * One i18next instance per app, bound to React, in the stored language. Resources are bundled, so it is
 * ready synchronously: the first screen never renders keys.
 */
export function createI18n(
  resources: AppResources,
  defaultNS = 'common',
  storage: KeyValueStorage = browserStorage(),
): i18n {
  const instance = i18next.createInstance();
  const lng = storedLanguage(storage);
  void instance.use(initReactI18next).init({
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    defaultNS,
    initAsync: false,
    interpolation: { escapeValue: false },
    resources: {
      'zh-CN': { ...resources['zh-CN'], errors: ERROR_MESSAGES_ZH, web: WEB_TEXTS_ZH },
      en: { ...resources.en, errors: ERROR_MESSAGES_EN, web: WEB_TEXTS_EN },
    },
  });
  setDocumentLanguage(lng);
  return instance;
}

/** Switches and remembers the language. */
export async function setLanguage(
  instance: i18n,
  language: Language,
  storage: KeyValueStorage = browserStorage(),
): Promise<void> {
  storage.setItem(LANGUAGE_KEY, language);
  await instance.changeLanguage(language);
  setDocumentLanguage(language);
}

function setDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

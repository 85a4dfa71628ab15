import { createI18n } from '@quan/web-core';
import { en, zhCN } from './texts';

/** The console's i18next: the shell's `console` namespace beside the shared error messages. */
export const i18n = createI18n({ 'zh-CN': { console: zhCN }, en: { console: en } }, 'console');

/** A section's texts: the same keys in both languages (declare `en` as `typeof zhCN`). */
export interface SectionTexts<T extends object> {
  'zh-CN': T;
  en: T;
}

/**
 * Adds a section's texts as the namespace `namespace` (a section calls it in its index.ts, so its menu
 * label reads before any of its screens loads); its screens use `useTranslation(namespace)`.
 */
export function addSectionTexts<T extends object>(namespace: string, texts: SectionTexts<T>): void {
  i18n.addResourceBundle('zh-CN', namespace, texts['zh-CN']);
  i18n.addResourceBundle('en', namespace, texts.en);
}

import { createI18n } from '@quan/web-core';
import { en, zhCN } from './messages';

/** The till's i18next: its own `till` namespace beside the shared error messages. */
export const i18n = createI18n({ 'zh-CN': { till: zhCN }, en: { till: en } }, 'till');

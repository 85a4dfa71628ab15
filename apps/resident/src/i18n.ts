import { createI18n } from '@quan/web-core';
import { en, zhCN } from './messages';

/** The resident app's i18next: its own `resident` namespace beside the shared error messages. */
export const i18n = createI18n({ 'zh-CN': { resident: zhCN }, en: { resident: en } }, 'resident');

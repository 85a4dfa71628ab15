import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import type { LocaleProvider } from './web-app-root';

/** antd-mobile in the app's language: the phone apps' (resident H5, till) locale for WebAppRoot. */
export const MobileLocale: LocaleProvider = ({ language, children }) => (
  <ConfigProvider locale={language === 'en' ? enUS : zhCN}>{children}</ConfigProvider>
);

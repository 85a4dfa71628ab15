import { ConfigProvider, App as AntApp, type ThemeConfig } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { LocaleProvider } from '@quan/web-ui';

/**
 * antd's theme for the bureau: a dark blue primary and secondary texts dark enough for WCAG AA (4.5:1)
 * on white, which antd's defaults (a lighter blue, 45 % black) are not.
 */
const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#0b5cab',
    colorLink: '#0b5cab',
    colorTextSecondary: 'rgba(0, 0, 0, 0.72)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.64)',
    colorTextDescription: 'rgba(0, 0, 0, 0.64)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    colorError: '#c0152a',
    colorSuccess: '#1e6b2e',
    colorWarning: '#8a4b00',
    fontFamily: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
  },
};

/** antd (and the dates of its pickers) in the console's language; antd's App gives screens message and modal hooks. */
export const ConsoleLocale: LocaleProvider = ({ language, children }) => {
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
};

import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '@quan/web-core';

/** Switches between zh-CN and English, remembered on this device; it reads the other language in that language. */
export function LanguageButton({ className = 'q-lang' }: { className?: string }) {
  const { t, i18n } = useTranslation('web');
  const other: Language = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className={className}
      lang={other}
      title={t('language.label')}
      onClick={() => void setLanguage(i18n, other)}
    >
      {t('language.other')}
    </button>
  );
}

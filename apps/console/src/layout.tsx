import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { LogoutOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { setLanguage } from '@quan/web-core';
import { SkipLink } from '@quan/web-ui';
import { isMerchantRole, ToTill, useAccount, useAllowed } from './access';
import { staff } from './runtime';
import { SECTIONS, type ConsoleSection } from './sections';

/** The sections the signed-in account may see, in menu order. */
export function useVisibleSections(): readonly ConsoleSection[] {
  const role = useAccount()?.role;
  return role ? SECTIONS.filter((section) => section.roles.includes(role)) : [];
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation('web');
  const other = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      type="text"
      icon={<TranslationOutlined />}
      lang={other}
      title={t('language.label')}
      onClick={() => void setLanguage(i18n, other)}
    >
      {t('language.other')}
    </Button>
  );
}

function Header() {
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const account = useAccount();
  return (
    <Layout.Header className="c-header">
      <Typography.Title level={1} style={{ fontSize: 18, margin: 0 }} className="c-grow">
        {t('app.title')}
      </Typography.Title>
      {account && (
        <Space aria-label={t('header.account')}>
          <UserOutlined aria-hidden />
          <span data-testid="account-name">{account.displayName}</span>
          <Tag color="blue" data-testid="account-role">
            {t(`roles.${account.role}`)}
          </Tag>
        </Space>
      )}
      <LanguageSwitch />
      <Button icon={<LogoutOutlined />} onClick={() => void staff.signOut().then(() => navigate('/login'))}>
        {t('header.signOut')}
      </Button>
    </Layout.Header>
  );
}

function SideMenu() {
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const sections = useVisibleSections();
  const current = pathname.split('/')[1] ?? '';
  return (
    <nav aria-label={t('app.menu')}>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={[current]}
        items={sections.map((section) => ({ key: section.key, icon: section.icon, label: t(section.labelKey) }))}
        onClick={({ key }) => navigate(`/${key}`)}
      />
    </nav>
  );
}

/** The signed-in frame: the side menu of the account's sections, the header, the section's screen. */
export function ConsoleLayout() {
  const { t } = useTranslation('console');
  const account = useAccount();
  if (account && isMerchantRole(account.role)) return <ToTill />;
  return (
    <Layout className="c-layout">
      <SkipLink />
      <Layout.Sider width={220} breakpoint="lg" collapsedWidth={64}>
        <div className="c-brand">
          {t('app.title')}
          <small>{t('app.owner')}</small>
        </div>
        <SideMenu />
      </Layout.Sider>
      <Layout>
        <Header />
        <Layout.Content id="main" className="c-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** A section's screens for its roles only; others go to the console's start. */
export function RequireRoles({ roles }: { roles: readonly ConsoleSection['roles'][number][] }) {
  const allowed = useAllowed(roles);
  return allowed ? <Outlet /> : <Navigate to="/" replace />;
}

/** The start page: the first section of the account's menu, or a welcome when it has none. */
export function Start() {
  const sections = useVisibleSections();
  const { t } = useTranslation('console');
  const account = useAccount();
  if (sections.length > 0) return <Navigate to={`/${sections[0].key}`} replace />;
  return (
    <section>
      <Typography.Title level={2}>{t('home.title', { name: account?.displayName ?? '' })}</Typography.Title>
      <Typography.Paragraph>{t('home.empty')}</Typography.Paragraph>
    </section>
  );
}

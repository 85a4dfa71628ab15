import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem, ok } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { isMerchantRole, ToTill, useAccount } from '../access';
import { api, staff } from '../runtime';

interface Credentials {
  username: string;
  password: string;
}

/** Staff sign-in; back to the page asked for (`next`), or the start. Merchant accounts are sent to the till. */
export function Component() {
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const account = useAccount();
  const [problem, setProblem] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [toTill, setToTill] = useState(false);

  if (toTill || (account && isMerchantRole(account.role))) return <ToTill />;
  if (account) return <Navigate to={params.get('next') ?? '/'} replace />;

  async function onFinish({ username, password }: Credentials) {
    setSubmitting(true);
    setProblem(undefined);
    try {
      const answer = await ok(api.POST('/api/v1/auth/staff/login', { body: { username: username.trim(), password } }));
      if (isMerchantRole(answer.account.role)) {
        // Not kept here: the session is ended at once and the till signs in on its own.
        await api
          .POST('/api/v1/auth/staff/logout', { body: { refreshToken: answer.refreshToken } })
          .catch(() => undefined);
        setToTill(true);
        return;
      }
      staff.signIn(answer);
      navigate(params.get('next') ?? '/', { replace: true });
    } catch (error) {
      setProblem(problemMessage(ApiProblem.from(error), t));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <main id="main" className="c-login">
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          {t('app.title')}
        </Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 16, marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.hint')}</Typography.Paragraph>
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={(values) => void onFinish(values)}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.required', { what: t('login.username') }) }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoCapitalize="none" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.required', { what: t('login.password') }) }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          <div aria-live="polite">
            {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
          </div>
          <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}

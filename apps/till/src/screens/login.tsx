import { type FormEvent, useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiProblem, ok } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { api, signIn } from '../runtime';

const TILL_ROLES = new Set(['cashier', 'merchant_admin']);

export function Component() {
  const { t } = useTranslation('till');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!username || !password || submitting) return;
    setSubmitting(true);
    setProblem(undefined);
    try {
      const answer = await ok(api.POST('/api/v1/auth/staff/login', { body: { username: username.trim(), password } }));
      if (!TILL_ROLES.has(answer.account.role)) {
        // Not a till account: its session is ended at once rather than left open on this device.
        await api
          .POST('/api/v1/auth/staff/logout', { body: { refreshToken: answer.refreshToken } })
          .catch(() => undefined);
        setProblem(t('refusals.FORBIDDEN'));
        return;
      }
      signIn(answer);
      navigate(params.get('next') ?? '/', { replace: true });
    } catch (error) {
      setProblem(problemMessage(ApiProblem.from(error), t));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form className="q-card" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2>{t('login.title')}</h2>
      <p className="q-muted">{t('login.hint')}</p>
      <label className="q-field">
        <span>{t('login.username')}</span>
        <input
          className="q-input"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label className="q-field">
        <span>{t('login.password')}</span>
        <input
          className="q-input"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <div aria-live="polite">{problem && <p className="q-note q-bad">{problem}</p>}</div>
      <Button type="submit" color="primary" block size="large" disabled={!username || !password} loading={submitting}>
        {t('login.submit')}
      </Button>
    </form>
  );
}

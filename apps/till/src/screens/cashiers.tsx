import { type FormEvent, useState } from 'react';
import { Button } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type components, ok } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { QueryState } from '../components/query-state';
import { api, storedAccount, type StaffAccount } from '../runtime';

type Changes = components['schemas']['StaffAccountChangesDto'];

/** The merchant admin's cashiers: add one, disable or enable, lift a lock-out. */
export function Component() {
  const { t } = useTranslation('till');
  const queries = useQueryClient();
  const merchantId = storedAccount()?.merchantId ?? '';
  const staff = useQuery({
    queryKey: ['staff', merchantId],
    queryFn: () => ok(api.GET('/api/v1/merchants/{id}/staff', { params: { path: { id: merchantId } } })),
  });
  const [form, setForm] = useState({ username: '', displayName: '', password: '' });
  const [done, setDone] = useState<string>();
  const refresh = () => queries.invalidateQueries({ queryKey: ['staff', merchantId] });
  const create = useMutation({
    mutationFn: () =>
      ok(api.POST('/api/v1/merchants/{id}/cashiers', { params: { path: { id: merchantId } }, body: form })),
    onSuccess: (account) => {
      setDone(t('cashiers.created', { name: account.displayName }));
      setForm({ username: '', displayName: '', password: '' });
      return refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ account, changes }: { account: StaffAccount; changes: Changes }) =>
      ok(
        api.PATCH('/api/v1/merchants/{id}/cashiers/{accountId}', {
          params: { path: { id: merchantId, accountId: account.id } },
          body: changes,
        }),
      ),
    onSuccess: refresh,
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    create.mutate();
  }

  const field = (name: keyof typeof form, label: string, extra: { type?: string; help?: string } = {}) => (
    <label className="q-field">
      <span>{label}</span>
      <input
        className="q-input"
        name={name}
        type={extra.type ?? 'text'}
        autoComplete={extra.type === 'password' ? 'new-password' : 'off'}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {extra.help && <small className="q-muted">{extra.help}</small>}
    </label>
  );

  const problem = create.error ?? change.error;
  return (
    <>
      <h2>{t('cashiers.title')}</h2>
      {!staff.data ? (
        <QueryState error={staff.error} retry={() => void staff.refetch()} />
      ) : (
        <ul className="q-list">
          {staff.data.length === 0 && <li className="q-card q-muted">{t('cashiers.empty')}</li>}
          {staff.data.map((account) => (
            <li key={account.id} className="q-card q-row">
              <span>
                <strong>{account.displayName}</strong> <span className="q-muted">{account.username}</span>{' '}
                <span className="q-tag">
                  {t(`cashiers.role.${account.role === 'merchant_admin' ? 'merchant_admin' : 'cashier'}`)}
                </span>
                {account.disabled && <span className="q-tag q-bad">{t('cashiers.disabled')}</span>}
              </span>
              {account.role === 'cashier' && (
                <span className="q-inline">
                  <Button
                    size="small"
                    fill="outline"
                    onClick={() => change.mutate({ account, changes: { disabled: !account.disabled } })}
                  >
                    {account.disabled ? t('cashiers.enable') : t('cashiers.disable')}
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="q-card" onSubmit={onSubmit} noValidate>
        <h3>{t('cashiers.add')}</h3>
        {field('username', t('cashiers.username'), { help: t('cashiers.usernameHelp') })}
        {field('displayName', t('cashiers.displayName'))}
        {field('password', t('cashiers.password'), { type: 'password' })}
        <div aria-live="polite">
          {problem && <p className="q-note q-bad">{problemMessage(ApiProblem.from(problem), t)}</p>}
          {done && <p className="q-note q-ok">{done}</p>}
        </div>
        <Button
          type="submit"
          color="primary"
          block
          disabled={!form.username || !form.displayName || form.password.length < 10}
          loading={create.isPending}
        >
          {t('cashiers.create')}
        </Button>
      </form>
    </>
  );
}

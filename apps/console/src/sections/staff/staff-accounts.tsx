import { useState } from 'react';
import { Alert, Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@quan/web-core';
import { useAllowed } from '../../access';
import { ConfirmAction } from '../parts/confirm-action';
import { FormDialog } from '../parts/form-dialog';
import { useListParams } from '../parts/paging';
import { ProblemAlert } from '../parts/problem';
import { useReference } from '../parts/reference';
import type { StaffRole } from '../section';
import {
  useChangeStaff,
  useCreateStaff,
  useMerchantOptions,
  useStaffAccounts,
  type NewStaffAccount,
  type StaffAccount,
} from './queries';
import { ToneTag } from '../parts/tone-tag';

const ROLES: readonly StaffRole[] = [
  'city_admin',
  'county_admin',
  'finance',
  'auditor',
  'merchant_admin',
  'cashier',
  'community_agent',
];
/** Roles bound to one county. */
const COUNTY_ROLES: readonly StaffRole[] = ['county_admin', 'community_agent'];
const WRITERS: readonly StaffRole[] = ['city_admin'];
const FILTERS = ['role', 'countyCode'] as const;
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const PASSWORD_MIN = 10;

function MerchantPicker({ value, onChange, id }: { value?: string; onChange?: (value: string) => void; id?: string }) {
  const [name, setName] = useState('');
  const merchants = useMerchantOptions(name);
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setName }}
      loading={merchants.isFetching}
      options={(merchants.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))}
    />
  );
}

/** The new account's fields; the county or the merchant only for the roles bound to one. */
function NewAccount() {
  const { t } = useTranslation('staff');
  const reference = useReference();
  const create = useCreateStaff();
  const [done, setDone] = useState<string>();
  return (
    <Space>
      <FormDialog<NewStaffAccount>
        type="primary"
        label={t('create')}
        onSubmit={async (values) => {
          const bound = {
            countyCode: COUNTY_ROLES.includes(values.role) ? values.countyCode : undefined,
            merchantId: ['merchant_admin', 'cashier'].includes(values.role) ? values.merchantId : undefined,
          };
          const account = await create.mutateAsync({ ...values, ...bound });
          setDone(t('created', { name: account.displayName }));
        }}
        render={(form) => (
          <>
            <Form.Item
              name="username"
              label={t('fields.username')}
              extra={t('fields.usernameHelp')}
              rules={[{ required: true, pattern: USERNAME, message: t('fields.usernameHelp') }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="displayName"
              label={t('fields.displayName')}
              rules={[{ required: true, whitespace: true, max: 100 }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('fields.password')}
              extra={t('fields.passwordHelp')}
              rules={[{ required: true, min: PASSWORD_MIN, max: 128, message: t('fields.passwordHelp') }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="role" label={t('fields.role')} rules={[{ required: true }]}>
              <Select options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
            </Form.Item>
            <Form.Item noStyle shouldUpdate={(before, after) => before.role !== after.role}>
              {() => {
                const role = form.getFieldValue('role') as StaffRole | undefined;
                if (role && COUNTY_ROLES.includes(role)) {
                  return (
                    <Form.Item
                      name="countyCode"
                      label={t('fields.county')}
                      extra={t('fields.countyHelp')}
                      rules={[{ required: true }]}
                    >
                      <Select options={reference.countyOptions} />
                    </Form.Item>
                  );
                }
                if (role === 'merchant_admin' || role === 'cashier') {
                  return (
                    <Form.Item
                      name="merchantId"
                      label={t('fields.merchant')}
                      extra={t('fields.merchantHelp')}
                      rules={[{ required: true }]}
                    >
                      <MerchantPicker />
                    </Form.Item>
                  );
                }
                return null;
              }}
            </Form.Item>
          </>
        )}
      />
      {done && <Typography.Text role="status">{done}</Typography.Text>}
    </Space>
  );
}

function AccountActions({ account }: { account: StaffAccount }) {
  const { t } = useTranslation('staff');
  const change = useChangeStaff();
  const what = { name: account.displayName, username: account.username };
  const send = (changes: Parameters<typeof change.mutateAsync>[0]['changes']) =>
    change.mutateAsync({ id: account.id, changes });
  return (
    <Space wrap>
      <FormDialog<{ displayName: string }>
        size="small"
        label={t('rename')}
        confirmLabel={t('save')}
        initialValues={{ displayName: account.displayName }}
        onSubmit={send}
      >
        <Form.Item
          name="displayName"
          label={t('fields.displayName')}
          rules={[{ required: true, whitespace: true, max: 100 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      </FormDialog>
      <FormDialog<{ password: string }>
        size="small"
        label={t('reset')}
        description={t('resetWhat', what)}
        onSubmit={send}
      >
        <Form.Item
          name="password"
          label={t('newPassword')}
          rules={[{ required: true, min: PASSWORD_MIN, max: 128, message: t('fields.passwordHelp') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </FormDialog>
      {account.disabled ? (
        <ConfirmAction
          size="small"
          label={t('enable')}
          description={t('enableWhat', what)}
          onConfirm={() => send({ disabled: false })}
        />
      ) : (
        <ConfirmAction
          size="small"
          danger
          label={t('disable')}
          description={t('disableWhat', what)}
          onConfirm={() => send({ disabled: true })}
        />
      )}
    </Space>
  );
}

/** Staff accounts: city admins make and change them; auditors read. */
export function Component() {
  const { t, i18n } = useTranslation('staff');
  const { t: tp } = useTranslation('parts');
  const reference = useReference();
  const writer = useAllowed(WRITERS);
  const { filters, initial, setFilters, offset, limit, pagination } = useListParams(FILTERS);
  const accounts = useStaffAccounts({
    role: (filters.role || undefined) as StaffRole | undefined,
    countyCode: filters.countyCode || undefined,
    offset,
    limit,
  });
  const columns = [
    {
      key: 'username',
      title: t('columns.username'),
      render: (_: unknown, a: StaffAccount) => <code>{a.username}</code>,
    },
    { key: 'displayName', title: t('columns.displayName'), dataIndex: 'displayName' },
    { key: 'role', title: t('columns.role'), render: (_: unknown, a: StaffAccount) => t(`roles.${a.role}`) },
    {
      key: 'unit',
      title: t('columns.unit'),
      render: (_: unknown, a: StaffAccount) =>
        a.countyCode ? reference.countyName(a.countyCode) : a.merchantId ? a.merchantId.slice(0, 8) : '—',
    },
    {
      key: 'status',
      title: t('columns.status'),
      render: (_: unknown, a: StaffAccount) =>
        a.disabled ? <ToneTag tone="bad">{t('disabled')}</ToneTag> : <ToneTag tone="ok">{t('active')}</ToneTag>,
    },
    {
      key: 'created',
      title: t('columns.created'),
      render: (_: unknown, a: StaffAccount) => formatDateTime(a.createdAt, i18n.language),
    },
    ...(writer
      ? [
          {
            key: 'actions',
            title: t('columns.actions'),
            render: (_: unknown, a: StaffAccount) => <AccountActions account={a} />,
          },
        ]
      : []),
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      <Alert type="info" title={writer ? t('noRoleChange') : tp('readOnly')} />
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Form
          name="staff-filters"
          layout="inline"
          initialValues={initial}
          onFinish={(values: Record<(typeof FILTERS)[number], string | undefined>) =>
            setFilters({ role: values.role ?? '', countyCode: values.countyCode ?? '' })
          }
        >
          <Form.Item name="role" label={t('filters.role')}>
            <Select
              allowClear
              style={{ width: 160 }}
              options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            />
          </Form.Item>
          <Form.Item name="countyCode" label={t('filters.county')}>
            <Select allowClear style={{ width: 160 }} options={reference.countyOptions} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {tp('search')}
            </Button>
          </Form.Item>
        </Form>
        {writer && <NewAccount />}
      </Space>
      <ProblemAlert error={accounts.error} />
      <Table<StaffAccount>
        rowKey="id"
        columns={columns}
        dataSource={accounts.data?.items}
        loading={accounts.isFetching}
        pagination={pagination(accounts.data?.total)}
      />
    </Space>
  );
}

import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@quan/web-core';
import { useAccount, useAllowed } from '../../access';
import { FormDialog } from '../parts/form-dialog';
import { useListParams } from '../parts/paging';
import { ProblemAlert } from '../parts/problem';
import { useReference } from '../parts/reference';
import { RouteLink } from '../parts/route-link';
import {
  useAssistedResidents,
  useCreateAgent,
  useRegisterResident,
  type AssistedResident,
  type NewAssistedResident,
} from './queries';

const GIVEN_BY = ['resident', 'guardian', 'family_member'] as const;
const METHODS = ['signed_form', 'fingerprint', 'verbal_witnessed'] as const;
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

type RegisterForm = Omit<NewAssistedResident, 'consentAt'> & { consentAt: Dayjs };

/** The agent registers a resident from the ID card, in the agent's own county, with the consent recorded. */
function RegisterResident({ countyCode }: { countyCode: string }) {
  const { t } = useTranslation('agents');
  const reference = useReference();
  const register = useRegisterResident();
  const [done, setDone] = useState<string>();
  return (
    <Space>
      <FormDialog<RegisterForm>
        type="primary"
        label={t('register')}
        initialValues={{ countyCode, consentGivenBy: 'resident', consentMethod: 'signed_form', consentAt: dayjs() }}
        onSubmit={async ({ phone, consentAt, ...values }) => {
          const resident = await register.mutateAsync({
            ...values,
            ...(phone ? { phone } : {}),
            consentAt: consentAt.format(),
          });
          setDone(t('registered', { name: resident.nameMasked }));
        }}
      >
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, whitespace: true, max: 40 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('fields.idNumber')}
          extra={t('fields.idNumberHelp')}
          rules={[{ required: true, len: 18 }]}
        >
          <Input autoComplete="off" maxLength={18} />
        </Form.Item>
        <Form.Item name="phone" label={t('fields.phone')} extra={t('fields.phoneHelp')}>
          <Input autoComplete="off" inputMode="tel" />
        </Form.Item>
        <Form.Item name="countyCode" label={t('fields.county')} extra={t('fields.countyHelp')}>
          <Select options={reference.countyOptions} />
        </Form.Item>
        <Form.Item name="consentGivenBy" label={t('fields.consentGivenBy')} rules={[{ required: true }]}>
          <Select options={GIVEN_BY.map((value) => ({ value, label: t(`consentGivenBy.${value}`) }))} />
        </Form.Item>
        <Form.Item name="consentMethod" label={t('fields.consentMethod')} rules={[{ required: true }]}>
          <Select options={METHODS.map((value) => ({ value, label: t(`consentMethod.${value}`) }))} />
        </Form.Item>
        <Form.Item name="consentAt" label={t('fields.consentAt')} rules={[{ required: true }]}>
          <DatePicker showTime />
        </Form.Item>
      </FormDialog>
      {done && <Typography.Text role="status">{done}</Typography.Text>}
    </Space>
  );
}

/** A county admin creates a community agent of the county. */
function NewAgent({ countyCode }: { countyCode: string }) {
  const { t } = useTranslation('agents');
  const create = useCreateAgent();
  const [done, setDone] = useState<string>();
  return (
    <Space>
      <FormDialog<{ username: string; displayName: string; password: string }>
        label={t('newAgent')}
        onSubmit={async (values) => {
          const account = await create.mutateAsync({ ...values, role: 'community_agent', countyCode });
          setDone(t('agentCreated', { name: account.displayName }));
        }}
      >
        <Form.Item name="username" label={t('fields.username')} rules={[{ required: true, pattern: USERNAME }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('fields.displayName')} rules={[{ required: true, max: 100 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label={t('fields.password')} rules={[{ required: true, min: 10, max: 128 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </FormDialog>
      {done && <Typography.Text role="status">{done}</Typography.Text>}
    </Space>
  );
}

/** The residents community agents registered: agents serve them from here, the county's admin reads whom they served. */
export function Component() {
  const { t, i18n } = useTranslation('agents');
  const account = useAccount();
  const reference = useReference();
  const agent = useAllowed(['community_agent']);
  const countyAdmin = useAllowed(['county_admin']);
  const { offset, limit, pagination } = useListParams([]);
  const residents = useAssistedResidents({ offset, limit });
  const columns = [
    {
      key: 'name',
      title: t('columns.name'),
      render: (_: unknown, r: AssistedResident) =>
        agent ? <RouteLink to={r.residentId}>{r.nameMasked}</RouteLink> : r.nameMasked,
    },
    {
      key: 'phone',
      title: t('columns.phone'),
      render: (_: unknown, r: AssistedResident) => r.phoneMasked ?? t('noPhone'),
    },
    {
      key: 'county',
      title: t('columns.county'),
      render: (_: unknown, r: AssistedResident) => reference.countyName(r.countyCode),
    },
    {
      key: 'registeredBy',
      title: t('columns.registeredBy'),
      render: (_: unknown, r: AssistedResident) => (
        <>
          <code>{r.registeredByUsername}</code> {formatDateTime(r.registeredAt, i18n.language)}
        </>
      ),
    },
    {
      key: 'consent',
      title: t('columns.consent'),
      render: (_: unknown, r: AssistedResident) =>
        `${t(`consentGivenBy.${r.consentGivenBy}`)} · ${t(`consentMethod.${r.consentMethod}`)} · ${formatDateTime(r.consentAt, i18n.language)}`,
    },
    {
      key: 'lastServed',
      title: t('columns.lastServed'),
      render: (_: unknown, r: AssistedResident) =>
        r.lastServedAt ? (
          <>
            <code>{r.lastServedByUsername}</code> {formatDateTime(r.lastServedAt, i18n.language)}
          </>
        ) : (
          '—'
        ),
    },
    ...(agent
      ? [
          {
            key: 'actions',
            title: t('columns.actions'),
            render: (_: unknown, r: AssistedResident) => (
              <RouteLink to={r.residentId} aria-label={`${t('serve')} ${r.nameMasked}`}>
                {t('serve')}
              </RouteLink>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('title')}</Typography.Title>
      <Alert type="info" title={agent ? t('intro') : t('readOnly')} />
      {agent && account?.countyCode && <RegisterResident countyCode={account.countyCode} />}
      {countyAdmin && account?.countyCode && <NewAgent countyCode={account.countyCode} />}
      <ProblemAlert error={residents.error} />
      <Table<AssistedResident>
        rowKey="residentId"
        columns={columns}
        dataSource={residents.data?.items}
        loading={residents.isFetching}
        pagination={pagination(residents.data?.total)}
      />
    </Space>
  );
}

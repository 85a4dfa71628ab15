import { Alert, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ok, type components } from '@quan/web-api';
import { useAccount } from '../../access';
import { YuanInput } from '../../components/yuan-input';
import { api } from '../../runtime';
import { CampaignView } from './campaign-view';
import { useReference } from '../parts/reference';
import { type Campaign } from './data';
import { DateTimePicker, fromIso, orNull, StepButtons, toIso, useSave } from './step-form';

export interface StepProps {
  campaign: Campaign;
  /** The step saved: go on with the answer. */
  onDone: (campaign: Campaign) => void;
  onBack?: () => void;
}

interface BasicsValues {
  code: string;
  name: string;
  budgetFen: number;
  issueBeyondBudget: boolean;
  startsAt: Dayjs;
  endsAt: Dayjs;
}

/** Step 1: code, name, budget and window; the first save drafts the campaign (one per person to start with). */
export function BasicsStep({ campaign, onDone }: Omit<StepProps, 'campaign'> & { campaign?: Campaign }) {
  const { t } = useTranslation('campaigns');
  const account = useAccount();
  const [form] = Form.useForm<BasicsValues>();
  const { problem, saving, run } = useSave(form);
  const initial = campaign
    ? { ...campaign, startsAt: fromIso(campaign.startsAt), endsAt: fromIso(campaign.endsAt) }
    : { issueBeyondBudget: false };
  const save = (values: BasicsValues) =>
    run(async () => {
      const body = {
        name: values.name.trim(),
        budgetFen: values.budgetFen,
        issueBeyondBudget: values.issueBeyondBudget,
        startsAt: toIso(values.startsAt),
        endsAt: toIso(values.endsAt),
      };
      onDone(
        campaign
          ? await ok(api.PATCH('/api/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body }))
          : await ok(
              api.POST('/api/v1/campaigns', {
                body: {
                  ...body,
                  code: values.code.trim(),
                  // A county admin's campaigns are their county's; the city's start city-wide (the next step may narrow it).
                  scopeCountyCode: account?.role === 'county_admin' ? account.countyCode : null,
                  limits: { perPerson: 1 },
                },
              }),
            ),
      );
    });
  const required = [{ required: true }];
  return (
    <Form<BasicsValues>
      form={form}
      name="basics"
      layout="vertical"
      style={{ maxWidth: 640 }}
      initialValues={initial}
      onFinish={(values) => void save(values)}
    >
      <Form.Item
        name="code"
        label={t('basics.code')}
        extra={t('basics.codeHelp')}
        rules={[...required, { pattern: /^[A-Z0-9-]{2,32}$/ }]}
      >
        <Input disabled={campaign !== undefined} autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('basics.name')} rules={[...required, { whitespace: true }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="budgetFen" label={t('basics.budget')} rules={required}>
        <YuanInput />
      </Form.Item>
      <Form.Item
        name="issueBeyondBudget"
        label={t('basics.beyond')}
        extra={t('basics.beyondHelp')}
        valuePropName="checked"
      >
        <Switch />
      </Form.Item>
      <Space size="large">
        <Form.Item name="startsAt" label={t('basics.startsAt')} rules={required}>
          <DateTimePicker />
        </Form.Item>
        <Form.Item name="endsAt" label={t('basics.endsAt')} rules={required}>
          <DateTimePicker />
        </Form.Item>
      </Space>
      <StepButtons problem={problem} saving={saving} />
    </Form>
  );
}

const CITY = 'city';

interface ScopeValues {
  scope: string;
  eligibility: { countyCodes: string[]; categoryCodes: string[] };
}

/** Step 2: city-wide or one county, and the counties and categories whose merchants take part. */
export function ScopeStep({ campaign, onDone, onBack }: StepProps) {
  const { t } = useTranslation('campaigns');
  const account = useAccount();
  const { countyOptions, categoryOptions } = useReference();
  const [form] = Form.useForm<ScopeValues>();
  const { problem, saving, run } = useSave(form);
  const save = (values: ScopeValues) =>
    run(async () => {
      const body = {
        scopeCountyCode: values.scope === CITY ? null : values.scope,
        eligibility: { ...campaign.eligibility, ...values.eligibility },
      };
      onDone(await ok(api.PATCH('/api/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body })));
    });
  return (
    <Form<ScopeValues>
      form={form}
      name="scope"
      layout="vertical"
      style={{ maxWidth: 640 }}
      initialValues={{
        scope: campaign.scopeCountyCode ?? CITY,
        eligibility: {
          countyCodes: campaign.eligibility.countyCodes ?? [],
          categoryCodes: campaign.eligibility.categoryCodes ?? [],
        },
      }}
      onFinish={(values) => void save(values)}
    >
      <Form.Item name="scope" label={t('scope.scope')} extra={t('scope.countyHelp')}>
        <Select
          disabled={account?.role === 'county_admin'}
          options={[{ value: CITY, label: t('list.cityWide') }, ...countyOptions]}
        />
      </Form.Item>
      <Form.Item name={['eligibility', 'countyCodes']} label={t('scope.counties')} extra={t('scope.countiesHelp')}>
        <Select mode="multiple" allowClear options={countyOptions} />
      </Form.Item>
      <Form.Item
        name={['eligibility', 'categoryCodes']}
        label={t('scope.categories')}
        extra={t('scope.categoriesHelp')}
      >
        <Select mode="multiple" allowClear options={categoryOptions} />
      </Form.Item>
      <StepButtons problem={problem} saving={saving} onBack={onBack} />
    </Form>
  );
}

type Limits = components['schemas']['LimitsDto'];

/** Step 5: packs per person (campaign, round, day) and what one merchant may take a day. */
export function LimitsStep({ campaign, onDone, onBack }: StepProps) {
  const { t } = useTranslation('campaigns');
  const [form] = Form.useForm<{ limits: Limits }>();
  const { problem, saving, run } = useSave(form);
  const save = ({ limits }: { limits: Limits }) =>
    run(async () => {
      const body = {
        limits: {
          ...campaign.limits,
          perPerson: limits.perPerson,
          perPersonPerRound: orNull(limits.perPersonPerRound),
          perPersonPerDay: orNull(limits.perPersonPerDay),
          merchantDailyRedemptions: orNull(limits.merchantDailyRedemptions),
          merchantDailySubsidyCapFen: orNull(limits.merchantDailySubsidyCapFen),
        },
      };
      onDone(await ok(api.PATCH('/api/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body })));
    });
  const count = (name: keyof Limits, required = false) => (
    <Form.Item
      name={['limits', name]}
      label={t(`limits.${name}`)}
      extra={required ? undefined : t('limits.optional')}
      rules={required ? [{ required: true }] : []}
    >
      <InputNumber min={1} precision={0} style={{ width: 200 }} />
    </Form.Item>
  );
  return (
    <Form
      form={form}
      name="limits"
      layout="vertical"
      style={{ maxWidth: 640 }}
      initialValues={{ limits: campaign.limits }}
      onFinish={(values) => void save(values)}
    >
      {count('perPerson', true)}
      {count('perPersonPerRound')}
      {count('perPersonPerDay')}
      {count('merchantDailyRedemptions')}
      <Form.Item
        name={['limits', 'merchantDailySubsidyCapFen']}
        label={t('limits.merchantDailySubsidyCap')}
        extra={t('limits.optional')}
      >
        <YuanInput />
      </Form.Item>
      <StepButtons problem={problem} saving={saving} onBack={onBack} />
    </Form>
  );
}

/** Approved merchants whose name holds what is typed, for picking by name. */
function MerchantSelect({
  value,
  onChange,
  id,
}: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  id?: string;
}) {
  const { t } = useTranslation('campaigns');
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['merchants', 'approved', search],
    queryFn: () =>
      ok(
        api.GET('/api/v1/merchants', {
          params: { query: { status: 'approved', name: search || undefined, limit: 50 } },
        }),
      ),
  });
  return (
    <Select
      id={id}
      mode="multiple"
      showSearch
      allowClear
      filterOption={false}
      placeholder={t('merchants.search')}
      onSearch={setSearch}
      value={value}
      onChange={onChange}
      options={(found.data?.items ?? []).map((merchant) => ({ value: merchant.id, label: merchant.name }))}
    />
  );
}

interface MerchantValues {
  eligibility: { allowMerchantIds: string[]; denyMerchantIds: string[]; aboveQuotaOnly: boolean };
}

/** Step 6: merchants admitted or kept out whatever their category or county; above-quota enterprises only. */
export function MerchantsStep({ campaign, onDone, onBack }: StepProps) {
  const { t } = useTranslation('campaigns');
  const [form] = Form.useForm<MerchantValues>();
  const { problem, saving, run } = useSave(form);
  const save = (values: MerchantValues) =>
    run(async () => {
      const body = { eligibility: { ...campaign.eligibility, ...values.eligibility } };
      onDone(await ok(api.PATCH('/api/v1/campaigns/{id}', { params: { path: { id: campaign.id } }, body })));
    });
  const { allowMerchantIds = [], denyMerchantIds = [], aboveQuotaOnly = false } = campaign.eligibility;
  return (
    <Form<MerchantValues>
      form={form}
      name="merchants"
      layout="vertical"
      style={{ maxWidth: 640 }}
      initialValues={{ eligibility: { allowMerchantIds, denyMerchantIds, aboveQuotaOnly } }}
      onFinish={(values) => void save(values)}
    >
      <Form.Item
        name={['eligibility', 'allowMerchantIds']}
        label={t('merchants.allow')}
        extra={t('merchants.allowHelp')}
      >
        <MerchantSelect />
      </Form.Item>
      <Form.Item name={['eligibility', 'denyMerchantIds']} label={t('merchants.deny')} extra={t('merchants.denyHelp')}>
        <MerchantSelect />
      </Form.Item>
      <Form.Item name={['eligibility', 'aboveQuotaOnly']} label={t('merchants.aboveQuotaOnly')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <StepButtons problem={problem} saving={saving} onBack={onBack} />
    </Form>
  );
}

/** Step 7: the whole configuration as the approver will see it, then the submission. */
export function SubmitStep({ campaign, onDone, onBack }: StepProps) {
  const { t } = useTranslation('campaigns');
  const [form] = Form.useForm();
  const { problem, saving, run } = useSave(form);
  const complete = campaign.voucherTypes.length > 0 && campaign.rounds.length > 0;
  const submit = () =>
    run(async () => {
      onDone(await ok(api.POST('/api/v1/campaigns/{id}/submit', { params: { path: { id: campaign.id } } })));
    });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {campaign.worstCaseSubsidyFen > campaign.budgetFen && (
        <Alert type="warning" showIcon title={t('submit.overBudget')} />
      )}
      {!complete && <Alert type="info" showIcon title={t('submit.incomplete')} />}
      <CampaignView campaign={campaign} />
      <Form form={form} name="submit" onFinish={() => void submit()}>
        <StepButtons
          problem={problem}
          saving={saving}
          onBack={onBack}
          submitLabel={t('submit.submit')}
          disabled={!complete}
        />
      </Form>
    </Space>
  );
}

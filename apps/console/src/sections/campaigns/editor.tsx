import { Alert, Card, Space, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiProblem } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { ConsoleLoading } from '../../route-error';
import { useCampaign, useCampaignChanged, type Campaign } from './data';
import { RoundsStep, VoucherTypesStep } from './part-steps';
import { BasicsStep, LimitsStep, MerchantsStep, ScopeStep, SubmitStep, type StepProps } from './steps';

const STEPS = ['basics', 'scope', 'voucherTypes', 'rounds', 'limits', 'merchants', 'submit'] as const;
const STEP_VIEWS = [ScopeStep, VoucherTypesStep, RoundsStep, LimitsStep, MerchantsStep, SubmitStep] satisfies ((
  props: StepProps,
) => unknown)[];

/**
 * The step-by-step editor of a draft (/campaigns/new, then /campaigns/:id/edit?step=n): each step saves
 * its part through the api before the next; the api's refusals show at the fields they name.
 */
export function Component() {
  const { t } = useTranslation('campaigns');
  const { id } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const changed = useCampaignChanged();
  const campaign = useCampaign(id);
  const step = id ? Math.min(Math.max(Number(params.get('step') ?? 0), 0), STEPS.length - 1) : 0;
  const go = (next: number) => setParams({ step: String(next) });

  async function onDone(saved: Campaign) {
    await changed(saved.id, saved);
    if (saved.status === 'pending_approval') navigate(`/campaigns/${saved.id}`);
    else if (!id) navigate(`/campaigns/${saved.id}/edit?step=1`);
    else go(step + 1);
  }

  if (id && campaign.isPending) return <ConsoleLoading />;
  if (campaign.error) return <Alert type="error" showIcon title={problemMessage(ApiProblem.from(campaign.error), t)} />;
  const current = campaign.data;
  const View = step > 0 ? STEP_VIEWS[step - 1] : undefined;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {current ? t('editor.editTitle', { name: current.name }) : t('editor.newTitle')}
      </Typography.Title>
      <Steps
        current={step}
        size="small"
        onChange={current ? go : undefined}
        items={STEPS.map((key) => ({ title: t(`steps.${key}`), disabled: !current }))}
      />
      {current?.reviewNote && current.status === 'draft' && (
        <Alert type="warning" showIcon title={t('editor.rejected', { note: current.reviewNote })} />
      )}
      <Card>
        {current && current.status !== 'draft' ? (
          <Alert type="info" showIcon title={t('editor.notDraft', { status: t(`status.${current.status}`) })} />
        ) : View && current ? (
          <View
            key={`${current.id}-${step}`}
            campaign={current}
            onDone={(saved) => void onDone(saved)}
            onBack={() => go(step - 1)}
          />
        ) : (
          <BasicsStep key={current?.version ?? 'new'} campaign={current} onDone={(saved) => void onDone(saved)} />
        )}
      </Card>
    </Space>
  );
}

import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiProblem, ok } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { Allowed, OPERATORS, useAccount } from '../../access';
import { showProblem } from '../../problem-fields';
import { ConsoleLoading } from '../../route-error';
import { api } from '../../runtime';
import { CampaignView, StatusTag } from './campaign-view';
import { CampaignChanges } from './changes';
import { useCampaign, useCampaignChanged, type Campaign, type Round } from './data';
import { DateTimePicker, fromIso, toIso } from './step-form';

type Offer = Round['offers'][number];

/** A dialog with a small form whose answer is sent on OK; the api's refusals show at its fields. */
function FormModal<T extends object>({
  title,
  open,
  onClose,
  send,
  initialValues,
  children,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  send: (values: T) => Promise<void>;
  initialValues?: Partial<T>;
  children: ReactNode;
}) {
  const { t } = useTranslation('campaigns');
  const [form] = Form.useForm<T>();
  const [problem, setProblem] = useState<string>();
  const [sending, setSending] = useState(false);
  async function onOk() {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setSending(true);
    setProblem(undefined);
    try {
      await send(values);
      onClose();
    } catch (error) {
      setProblem(showProblem(form, error, t));
    } finally {
      setSending(false);
    }
  }
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      onOk={() => void onOk()}
      okText={t('ops.confirm')}
      cancelText={t('ops.cancel')}
      confirmLoading={sending}
      destroyOnHidden
    >
      <Form<T> form={form} layout="vertical" initialValues={initialValues} preserve={false}>
        {children}
      </Form>
      {problem && <Alert type="error" showIcon title={problem} />}
    </Modal>
  );
}

/** Approve (confirmed) or reject (with a reason) a campaign waiting for approval; never by one of its makers. */
function Review({ campaign, onChanged }: { campaign: Campaign; onChanged: (campaign: Campaign) => Promise<void> }) {
  const { t } = useTranslation('campaigns');
  const { modal, message } = App.useApp();
  const account = useAccount();
  const [rejecting, setRejecting] = useState(false);
  const path = { params: { path: { id: campaign.id } } };
  const ownChange = account !== undefined && campaign.makerIds.includes(account.id);
  const approve = () =>
    modal.confirm({
      title: t('review.approveTitle', { name: campaign.name }),
      content: t('review.approveHelp'),
      okText: t('review.approve'),
      cancelText: t('ops.cancel'),
      onOk: async () => {
        try {
          await onChanged(await ok(api.POST('/api/v1/campaigns/{id}/approve', path)));
          void message.success(t('review.approved'));
        } catch (error) {
          void message.error(problemMessage(ApiProblem.from(error), t));
        }
      },
    });
  return (
    <Card title={t('review.title')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
          {t('review.changes')}
        </Typography.Title>
        <CampaignChanges campaign={campaign} />
        {ownChange ? (
          <Alert type="info" showIcon title={t('review.ownChange')} />
        ) : (
          <Allowed roles={OPERATORS}>
            <Space>
              <Button type="primary" onClick={approve}>
                {t('review.approve')}
              </Button>
              <Button danger onClick={() => setRejecting(true)}>
                {t('review.reject')}
              </Button>
            </Space>
          </Allowed>
        )}
      </Space>
      <FormModal<{ reason: string }>
        title={t('review.rejectTitle')}
        open={rejecting}
        onClose={() => setRejecting(false)}
        send={async ({ reason }) => {
          await onChanged(
            await ok(api.POST('/api/v1/campaigns/{id}/reject', { ...path, body: { reason: reason.trim() } })),
          );
          void message.success(t('review.rejectedDone'));
        }}
      >
        <Form.Item
          name="reason"
          label={t('review.reason')}
          rules={[{ required: true, whitespace: true, message: t('review.reasonRequired') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

/** Pause, resume, extend, archive: each asks for a confirmation (or the new value) first. */
function Lifecycle({ campaign, onChanged }: { campaign: Campaign; onChanged: (campaign: Campaign) => Promise<void> }) {
  const { t } = useTranslation('campaigns');
  const { modal, message } = App.useApp();
  const [extending, setExtending] = useState(false);
  const path = { params: { path: { id: campaign.id } } };
  const live = campaign.status === 'published' || campaign.status === 'running';
  const confirm = (title: string, content: string, call: () => Promise<Campaign>) =>
    modal.confirm({
      title,
      content,
      okText: t('ops.confirm'),
      cancelText: t('ops.cancel'),
      onOk: async () => {
        try {
          await onChanged(await call());
          void message.success(t('ops.done'));
        } catch (error) {
          void message.error(problemMessage(ApiProblem.from(error), t));
        }
      },
    });
  return (
    <Space wrap>
      {live && !campaign.paused && (
        <Button
          onClick={() =>
            confirm(t('ops.pauseTitle', { name: campaign.name }), t('ops.pauseHelp'), () =>
              ok(api.POST('/api/v1/campaigns/{id}/pause', path)),
            )
          }
        >
          {t('ops.pause')}
        </Button>
      )}
      {live && campaign.paused && (
        <Button
          onClick={() =>
            confirm(t('ops.resumeTitle', { name: campaign.name }), '', () =>
              ok(api.POST('/api/v1/campaigns/{id}/resume', path)),
            )
          }
        >
          {t('ops.resume')}
        </Button>
      )}
      {live && <Button onClick={() => setExtending(true)}>{t('ops.extend')}</Button>}
      {campaign.status === 'ended' && (
        <Button
          danger
          onClick={() =>
            confirm(t('ops.archiveTitle', { name: campaign.name }), t('ops.archiveHelp'), () =>
              ok(api.POST('/api/v1/campaigns/{id}/archive', path)),
            )
          }
        >
          {t('ops.archive')}
        </Button>
      )}
      <FormModal<{ endsAt: Dayjs }>
        title={t('ops.extendTitle')}
        open={extending}
        onClose={() => setExtending(false)}
        initialValues={{ endsAt: fromIso(campaign.endsAt) }}
        send={async ({ endsAt }) => {
          await onChanged(
            await ok(api.POST('/api/v1/campaigns/{id}/extend', { ...path, body: { endsAt: toIso(endsAt) } })),
          );
          void message.success(t('ops.done'));
        }}
      >
        <Form.Item name="endsAt" label={t('ops.newEnd')} rules={[{ required: true }]}>
          <DateTimePicker />
        </Form.Item>
      </FormModal>
    </Space>
  );
}

/** Raises one offer's stock in one round, within the budget (the api checks). */
function TopUp({
  campaign,
  round,
  offer,
  onChanged,
}: {
  campaign: Campaign;
  round: Round;
  offer: Offer;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation('campaigns');
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {t('ops.topUp')}
      </Button>
      <FormModal<{ stock: number }>
        title={t('ops.topUpTitle', { offer: offer.name })}
        open={open}
        onClose={() => setOpen(false)}
        initialValues={{ stock: offer.stock }}
        send={async ({ stock }) => {
          const path = { id: campaign.id, roundId: round.id, offerId: offer.id };
          await ok(
            api.PUT('/api/v1/campaigns/{id}/rounds/{roundId}/offers/{offerId}/stock', {
              params: { path },
              body: { stock },
            }),
          );
          await onChanged();
          void message.success(t('ops.done'));
        }}
      >
        <Form.Item
          name="stock"
          label={t('ops.newStock')}
          extra={t('ops.newStockHelp', { stock: offer.stock })}
          rules={[{ required: true }]}
        >
          <InputNumber min={offer.stock} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </FormModal>
    </>
  );
}

/** A campaign: its configuration; the review while it waits for approval; its lifecycle operations when live. */
export function Component() {
  const { t } = useTranslation('campaigns');
  const { id } = useParams();
  const navigate = useNavigate();
  const campaign = useCampaign(id);
  const changed = useCampaignChanged();
  if (campaign.isPending) return <ConsoleLoading />;
  if (campaign.error) return <Alert type="error" showIcon title={problemMessage(ApiProblem.from(campaign.error), t)} />;
  const current = campaign.data;
  const onChanged = (next: Campaign) => changed(current.id, next);
  const live = current.status === 'published' || current.status === 'running';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Space>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {current.name}
          </Typography.Title>
          <StatusTag status={current.status} />
        </Space>
        <Allowed roles={OPERATORS}>
          <Space>
            {current.status === 'draft' && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/campaigns/${current.id}/edit`)}>
                {t('detail.edit')}
              </Button>
            )}
            <Lifecycle campaign={current} onChanged={onChanged} />
          </Space>
        </Allowed>
      </Space>
      {current.reviewNote && current.status === 'draft' && (
        <Alert type="warning" showIcon title={t('editor.rejected', { note: current.reviewNote })} />
      )}
      {current.status === 'pending_approval' && <Review campaign={current} onChanged={onChanged} />}
      <CampaignView
        campaign={current}
        offerExtra={
          live
            ? (round, offer) => (
                <Allowed roles={OPERATORS}>
                  <TopUp campaign={current} round={round} offer={offer} onChanged={() => changed(current.id)} />
                </Allowed>
              )
            : undefined
        }
      />
    </Space>
  );
}

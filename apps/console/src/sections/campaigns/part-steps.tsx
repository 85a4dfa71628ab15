import { App, Button, Card, Form, Input, InputNumber, Popconfirm, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiProblem, ok, type components } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { YuanInput } from '../../components/yuan-input';
import { api } from '../../runtime';
import { RoundsTable, VoucherTypesTable } from './campaign-view';
import { useReference } from '../parts/reference';
import { useCampaignChanged } from './data';
import { DateTimePicker, StepButtons, toIso, useSave } from './step-form';
import type { StepProps } from './steps';

type DiscountKind = components['schemas']['DiscountKind'];
type ValidityKind = components['schemas']['ValidityKind'];

interface TypeValues {
  name: string;
  kind: DiscountKind;
  thresholdFen?: number;
  discountFen?: number;
  percentOff?: number;
  capFen?: number;
  categoryCodes: string[];
  validityKind: ValidityKind;
  validFrom?: Dayjs;
  validUntil?: Dayjs;
  validDays?: number;
  bureauSharePercent: number;
}

/** The api's voucher type from the form: only the fields of the chosen discount and validity. */
function voucherTypeBody(values: TypeValues): components['schemas']['VoucherTypeInputDto'] {
  const rule =
    values.kind === 'threshold'
      ? { thresholdFen: values.thresholdFen, discountFen: values.discountFen }
      : values.kind === 'fixed'
        ? { discountFen: values.discountFen }
        : { thresholdFen: values.thresholdFen ?? 0, percentOff: values.percentOff, capFen: values.capFen };
  const validity =
    values.validityKind === 'fixed_window'
      ? {
          validFrom: values.validFrom && toIso(values.validFrom),
          validUntil: values.validUntil && toIso(values.validUntil),
        }
      : { validDays: values.validDays };
  return {
    name: values.name.trim(),
    kind: values.kind,
    ...rule,
    categoryCodes: values.categoryCodes,
    validityKind: values.validityKind,
    ...validity,
    bureauShareBp: Math.round(values.bureauSharePercent * 100),
  };
}

/** A part's delete button, confirmed first. */
function RemoveButton({ title, onConfirm }: { title: string; onConfirm: () => Promise<void> }) {
  const { t } = useTranslation('campaigns');
  const { message } = App.useApp();
  const confirm = () =>
    onConfirm().catch((error: unknown) => void message.error(problemMessage(ApiProblem.from(error), t)));
  return (
    <Popconfirm title={title} okText={t('ops.confirm')} cancelText={t('ops.cancel')} onConfirm={confirm}>
      <Button size="small" danger icon={<DeleteOutlined />}>
        {t('types.remove')}
      </Button>
    </Popconfirm>
  );
}

/** Step 3: the campaign's voucher types (满减, 直减, 折扣), each added through the api and listed above the form. */
export function VoucherTypesStep({ campaign, onDone, onBack }: StepProps) {
  const { t } = useTranslation('campaigns');
  const { categoryOptions } = useReference();
  const changed = useCampaignChanged();
  const [form] = Form.useForm<TypeValues>();
  const { problem, saving, run } = useSave(form);
  // Undefined until the form has mounted: the initial values' choices meanwhile.
  const kind = Form.useWatch('kind', form) ?? 'threshold';
  const validityKind = Form.useWatch('validityKind', form) ?? 'days_from_claim';
  const add = (values: TypeValues) =>
    run(async () => {
      await ok(
        api.POST('/api/v1/campaigns/{id}/voucher-types', {
          params: { path: { id: campaign.id } },
          body: voucherTypeBody(values),
        }),
      );
      form.resetFields();
      await changed(campaign.id);
    });
  const remove = async (typeId: string) => {
    await ok(
      api.DELETE('/api/v1/campaigns/{id}/voucher-types/{typeId}', { params: { path: { id: campaign.id, typeId } } }),
    );
    await changed(campaign.id);
  };
  const money = (name: 'thresholdFen' | 'discountFen' | 'capFen', label: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true }]}>
      <YuanInput />
    </Form.Item>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {campaign.voucherTypes.length === 0 ? (
        <Typography.Text>{t('types.none')}</Typography.Text>
      ) : (
        <VoucherTypesTable
          campaign={campaign}
          extra={(type) => (
            <RemoveButton title={t('types.removeConfirm', { name: type.name })} onConfirm={() => remove(type.id)} />
          )}
        />
      )}
      <Card title={t('types.add')} size="small" style={{ maxWidth: 720 }}>
        <Form<TypeValues>
          form={form}
          name="voucherType"
          layout="vertical"
          initialValues={{
            kind: 'threshold',
            validityKind: 'days_from_claim',
            validDays: 7,
            bureauSharePercent: 100,
            categoryCodes: [],
          }}
          onFinish={(values) => void add(values)}
        >
          <Form.Item name="name" label={t('types.name')} rules={[{ required: true, whitespace: true }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="kind" label={t('types.kind')}>
            <Radio.Group
              optionType="button"
              options={(['threshold', 'fixed', 'percentage'] as const).map((value) => ({
                value,
                label: t(`kind.${value}`),
              }))}
            />
          </Form.Item>
          <Space size="large" wrap>
            {kind === 'threshold' && money('thresholdFen', t('types.threshold'))}
            {kind !== 'percentage' && money('discountFen', t('types.discount'))}
            {kind === 'percentage' && (
              <Form.Item name="percentOff" label={t('types.percentOff')} rules={[{ required: true }]}>
                <InputNumber min={1} max={99} precision={0} />
              </Form.Item>
            )}
            {kind === 'percentage' && money('capFen', t('types.cap'))}
          </Space>
          <Form.Item name="categoryCodes" label={t('types.categories')} extra={t('types.categoriesHelp')}>
            <Select mode="multiple" allowClear options={categoryOptions} />
          </Form.Item>
          <Form.Item name="validityKind" label={t('types.validityKind')}>
            <Radio.Group
              optionType="button"
              options={(['days_from_claim', 'fixed_window'] as const).map((value) => ({
                value,
                label: t(`validity.${value}`),
              }))}
            />
          </Form.Item>
          {validityKind === 'fixed_window' ? (
            <Space size="large">
              <Form.Item name="validFrom" label={t('types.validFrom')} rules={[{ required: true }]}>
                <DateTimePicker />
              </Form.Item>
              <Form.Item name="validUntil" label={t('types.validUntil')} rules={[{ required: true }]}>
                <DateTimePicker />
              </Form.Item>
            </Space>
          ) : (
            <Form.Item name="validDays" label={t('types.validDays')} rules={[{ required: true }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
          )}
          <Form.Item
            name="bureauSharePercent"
            label={t('types.share')}
            extra={t('types.shareHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={100} precision={2} />
          </Form.Item>
          <div aria-live="polite">{problem && <Typography.Text type="danger">{problem}</Typography.Text>}</div>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={saving}>
            {t('types.add')}
          </Button>
        </Form>
      </Card>
      <NextButtons campaign={campaign} onDone={onDone} onBack={onBack} />
    </Space>
  );
}

/** The buttons of a step whose parts are saved one by one: going on saves nothing more. */
function NextButtons({ campaign, onDone, onBack }: StepProps) {
  const [form] = Form.useForm();
  return (
    <Form form={form} name="next" onFinish={() => onDone(campaign)}>
      <StepButtons saving={false} onBack={onBack} />
    </Form>
  );
}

interface RoundValues {
  name: string;
  mode: components['schemas']['RoundMode'];
  opensAt: Dayjs;
  closesAt: Dayjs;
  drawAt?: Dayjs;
  offers: { name: string; stock: number; items: { voucherTypeId: string; quantity: number }[] }[];
}

/** Step 4: rounds, each with its offers (one voucher or a pack) and their stock. */
export function RoundsStep({ campaign, onDone, onBack }: StepProps) {
  const { t } = useTranslation('campaigns');
  const changed = useCampaignChanged();
  const [form] = Form.useForm<RoundValues>();
  const { problem, saving, run } = useSave(form);
  const mode = Form.useWatch('mode', form);
  const types = campaign.voucherTypes.map((type) => ({ value: type.id, label: type.name }));
  const add = (values: RoundValues) =>
    run(async () => {
      const body = {
        name: values.name.trim(),
        mode: values.mode,
        opensAt: toIso(values.opensAt),
        closesAt: toIso(values.closesAt),
        drawAt: values.mode === 'lottery' && values.drawAt ? toIso(values.drawAt) : null,
        offers: values.offers.map((offer) => ({ ...offer, name: offer.name.trim() })),
      };
      await ok(api.POST('/api/v1/campaigns/{id}/rounds', { params: { path: { id: campaign.id } }, body }));
      form.resetFields();
      await changed(campaign.id);
    });
  const remove = async (roundId: string) => {
    await ok(api.DELETE('/api/v1/campaigns/{id}/rounds/{roundId}', { params: { path: { id: campaign.id, roundId } } }));
    await changed(campaign.id);
  };
  if (types.length === 0) {
    return (
      <Space direction="vertical">
        <Typography.Text>{t('rounds.needTypes')}</Typography.Text>
        <NextButtons campaign={campaign} onDone={onDone} onBack={onBack} />
      </Space>
    );
  }
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {campaign.rounds.length === 0 ? (
        <Typography.Text>{t('rounds.none')}</Typography.Text>
      ) : (
        <RoundsTable
          campaign={campaign}
          roundExtra={(round) => (
            <RemoveButton title={t('rounds.removeConfirm', { name: round.name })} onConfirm={() => remove(round.id)} />
          )}
        />
      )}
      <Card title={t('rounds.add')} size="small" style={{ maxWidth: 880 }}>
        <Form<RoundValues>
          form={form}
          name="round"
          layout="vertical"
          initialValues={{
            mode: 'first_come',
            offers: [{ name: '', stock: 1000, items: [{ voucherTypeId: types[0].value, quantity: 1 }] }],
          }}
          onFinish={(values) => void add(values)}
        >
          <Space size="large" wrap>
            <Form.Item name="name" label={t('rounds.name')} rules={[{ required: true, whitespace: true }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="mode" label={t('rounds.mode')}>
              <Radio.Group
                optionType="button"
                options={(['first_come', 'lottery'] as const).map((value) => ({ value, label: t(`mode.${value}`) }))}
              />
            </Form.Item>
          </Space>
          <Space size="large" wrap>
            <Form.Item name="opensAt" label={t('rounds.opensAt')} rules={[{ required: true }]}>
              <DateTimePicker />
            </Form.Item>
            <Form.Item name="closesAt" label={t('rounds.closesAt')} rules={[{ required: true }]}>
              <DateTimePicker />
            </Form.Item>
            {mode === 'lottery' && (
              <Form.Item name="drawAt" label={t('rounds.drawAt')} rules={[{ required: true }]}>
                <DateTimePicker />
              </Form.Item>
            )}
          </Space>
          <Form.List name="offers">
            {(offers, { add: addOffer, remove: removeOffer }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {offers.map((offer, n) => (
                  <Card
                    key={offer.key}
                    size="small"
                    type="inner"
                    title={t('rounds.offer', { n: n + 1 })}
                    extra={
                      offers.length > 1 && (
                        <Button type="link" onClick={() => removeOffer(offer.name)}>
                          {t('rounds.removeOffer')}
                        </Button>
                      )
                    }
                  >
                    <Space size="large" wrap>
                      <Form.Item
                        name={[offer.name, 'name']}
                        label={t('rounds.offerName')}
                        rules={[{ required: true, whitespace: true }]}
                      >
                        <Input autoComplete="off" />
                      </Form.Item>
                      <Form.Item name={[offer.name, 'stock']} label={t('rounds.stock')} rules={[{ required: true }]}>
                        <InputNumber min={0} precision={0} />
                      </Form.Item>
                    </Space>
                    <Form.List name={[offer.name, 'items']}>
                      {(items, { add: addItem, remove: removeItem }) => (
                        <>
                          {items.map((item) => (
                            <Space key={item.key} align="baseline">
                              <Form.Item
                                name={[item.name, 'voucherTypeId']}
                                label={t('rounds.type')}
                                rules={[{ required: true }]}
                              >
                                <Select style={{ width: 220 }} options={types} />
                              </Form.Item>
                              <Form.Item
                                name={[item.name, 'quantity']}
                                label={t('rounds.quantity')}
                                rules={[{ required: true }]}
                              >
                                <InputNumber min={1} max={100} precision={0} />
                              </Form.Item>
                              {items.length > 1 && (
                                <Button
                                  type="text"
                                  aria-label={t('rounds.removeItem')}
                                  icon={<MinusCircleOutlined />}
                                  onClick={() => removeItem(item.name)}
                                />
                              )}
                            </Space>
                          ))}
                          <Button type="dashed" icon={<PlusOutlined />} onClick={() => addItem({ quantity: 1 })}>
                            {t('rounds.addItem')}
                          </Button>
                        </>
                      )}
                    </Form.List>
                  </Card>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => addOffer({ name: '', stock: 1000, items: [{ quantity: 1 }] })}
                >
                  {t('rounds.addOffer')}
                </Button>
              </Space>
            )}
          </Form.List>
          <div aria-live="polite" style={{ marginTop: 16 }}>
            {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
          </div>
          <Button htmlType="submit" icon={<PlusOutlined />} loading={saving} style={{ marginTop: 16 }}>
            {t('rounds.add')}
          </Button>
        </Form>
      </Card>
      <NextButtons campaign={campaign} onDone={onDone} onBack={onBack} />
    </Space>
  );
}

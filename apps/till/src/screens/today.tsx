import { useState } from 'react';
import { Button } from 'antd-mobile';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiProblem, ok } from '@quan/web-api';
import { formatFen, formatTime, problemMessage } from '@quan/web-core';
import { Figures } from '../components/figures';
import { QueryState } from '../components/query-state';
import { api, type Redemption } from '../runtime';
import { useToday } from '../today-query';

const REASONS = ['reasonRefund', 'reasonMistake', 'reasonOther'] as const;
type ReasonKey = (typeof REASONS)[number];

/** 撤销 in two steps: a reason (typed when "other"), then a confirmation that says what it undoes. */
function Reversal({ redemption, onClose }: { redemption: Redemption; onClose: () => void }) {
  const { t } = useTranslation('till');
  const queries = useQueryClient();
  const [reason, setReason] = useState<ReasonKey>('reasonRefund');
  const [text, setText] = useState('');
  const [step, setStep] = useState<'reason' | 'confirm'>('reason');
  const said = reason === 'reasonOther' ? text.trim() : t(`today.${reason}`);
  const reverse = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/merchant/redemptions/{id}/reversal', {
          params: { path: { id: redemption.id } },
          body: { reason: said },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['today'] }),
  });
  const titleId = `reverse-${redemption.id}`;
  return (
    <div className="q-reversal q-stack" role="group" aria-labelledby={titleId}>
      <h4 id={titleId}>{t('today.reverseTitle')}</h4>
      <p>
        {t('today.reverseWhat', {
          name: redemption.voucher.name,
          order: formatFen(redemption.orderAmountFen),
          discount: formatFen(redemption.discountFen),
        })}
      </p>
      {step === 'reason' ? (
        <>
          <fieldset className="q-reasons">
            <legend>{t('today.reason')}</legend>
            {REASONS.map((key) => (
              <label key={key}>
                <input
                  type="radio"
                  name={`reason-${redemption.id}`}
                  checked={reason === key}
                  onChange={() => setReason(key)}
                />
                {t(`today.${key}`)}
              </label>
            ))}
          </fieldset>
          {reason === 'reasonOther' && (
            <label className="q-field">
              <span>{t('today.reasonText')}</span>
              <input className="q-input" maxLength={200} value={text} onChange={(e) => setText(e.target.value)} />
            </label>
          )}
          <div className="q-inline">
            <Button block onClick={onClose}>
              {t('today.cancel')}
            </Button>
            <Button block color="primary" disabled={!said} onClick={() => setStep('confirm')}>
              {t('today.reverseNext')}
            </Button>
          </div>
        </>
      ) : (
        <>
          <p className="q-note q-bad">{t('today.reverseWarn')}</p>
          {reverse.error && (
            <p className="q-note q-bad" role="alert">
              {problemMessage(ApiProblem.from(reverse.error), t)}
            </p>
          )}
          <div className="q-inline">
            <Button block onClick={onClose}>
              {t('today.cancel')}
            </Button>
            <Button
              block
              color="danger"
              loading={reverse.isPending}
              onClick={() => reverse.mutate(undefined, { onSuccess: onClose })}
            >
              {t('today.reverseConfirm')}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

export function Component() {
  const { t, i18n } = useTranslation('till');
  const today = useToday();
  const [reversing, setReversing] = useState<string>();
  if (!today.data) return <QueryState error={today.error} retry={() => void today.refetch()} />;
  const { totals, items, date } = today.data;
  const figures: [string, string][] = [
    [t('today.count'), String(totals.count)],
    [t('today.reversedCount'), String(totals.reversed)],
    [t('today.order'), formatFen(totals.orderAmountFen)],
    [t('today.discount'), formatFen(totals.discountFen)],
    [t('today.subsidy'), formatFen(totals.subsidyFen)],
  ];
  return (
    <>
      <h2>
        {t('today.title')} · {date}
      </h2>
      <section className="q-card">
        <Figures className="q-totals" rows={figures} />
      </section>
      {items.length === 0 && <p className="q-card q-muted">{t('today.empty')}</p>}
      <ul className="q-list">
        {items.map((item) => (
          <li key={item.id} className="q-card q-stack">
            <div className="q-row">
              <strong>{item.voucher.name}</strong>
              <span>{formatTime(item.redeemedAt, i18n.language)}</span>
            </div>
            <div className="q-row">
              <span>
                {formatFen(item.orderAmountFen)} · -{formatFen(item.discountFen)} · {item.voucher.shortCode}
              </span>
              {item.reversedAt ? (
                <span className="q-tag">{t('today.reversed')}</span>
              ) : (
                reversing !== item.id && (
                  <Button size="small" color="danger" fill="outline" onClick={() => setReversing(item.id)}>
                    {t('today.reverse')}
                  </Button>
                )
              )}
            </div>
            {reversing === item.id && !item.reversedAt && (
              <Reversal redemption={item} onClose={() => setReversing(undefined)} />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

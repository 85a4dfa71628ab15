import { useRef } from 'react';
import { Button } from 'antd-mobile';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiProblem, newIdempotencyKey, ok } from '@quan/web-api';
import { formatDateTime } from '@quan/web-core';
import { useSignedIn } from '@quan/web-ui';
import { queryClient } from '../query';
import { api, session } from '../runtime';
import type { RegistrationReceipt, Round } from '../types';

/**
 * A lottery round (摇号): register while it is open, keep the receipt (the entry number the published list
 * shows), and see the outcome after the draw. The resident's registration is read once signed in and verified;
 * a 404 means not registered yet.
 */
export function LotteryPanel({ round, now }: { round: Round; now: number }) {
  const { t } = useTranslation('resident');
  const signedIn = useSignedIn(session);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => ok(api.GET('/api/v1/me')),
    enabled: signedIn,
    staleTime: Infinity,
  });
  const verified = me.data?.identityVerified === true;
  const mine = useQuery({
    queryKey: ['registration', round.id],
    queryFn: async () => {
      try {
        return await ok(api.GET('/api/v1/me/registrations/{roundId}', { params: { path: { roundId: round.id } } }));
      } catch (error) {
        if (ApiProblem.from(error).code === 'REGISTRATION_NOT_FOUND') return null;
        throw error;
      }
    },
    enabled: verified,
  });
  // One tap is one registration: a retry after an unclear answer reuses its key.
  const key = useRef(newIdempotencyKey());
  const register = useMutation({
    mutationFn: () =>
      ok(
        api.POST('/api/v1/rounds/{roundId}/registrations', {
          params: { path: { roundId: round.id } },
          headers: { 'Idempotency-Key': key.current },
        }),
      ),
    onSuccess: (receipt) => queryClient.setQueryData(['registration', round.id], receipt),
  });

  const open = now >= Date.parse(round.opensAt) && now < Date.parse(round.closesAt);
  if (!signedIn)
    return (
      <Link className="q-link" to="/login?next=/">
        {t('rounds.loginToRegister')}
      </Link>
    );
  if (me.data && !verified)
    return (
      <Link className="q-link" to="/verify?next=/">
        {t('rounds.verifyToRegister')}
      </Link>
    );
  const receipt = mine.data;
  return (
    <div className="q-stack" aria-label={t('rounds.lottery')}>
      <p className="q-note">{t('rounds.lottery')}</p>
      {receipt ? (
        <>
          <ReceiptView receipt={receipt} />
          <Link className="q-link" to={`/lottery/${round.id}`}>
            {t('rounds.lotteryDetails')}
          </Link>
        </>
      ) : (
        <>
          <Button
            color="primary"
            block
            size="large"
            disabled={!open || mine.isLoading}
            loading={register.isPending}
            onClick={() => register.mutate()}
          >
            {register.isPending ? t('rounds.lotteryRegistering') : t('rounds.lotteryRegister')}
          </Button>
          {register.error && (
            <div className="q-note q-bad" role="status">
              {t(`errors:${ApiProblem.from(register.error).code}`, { seconds: 5 })}
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** A registration's receipt and, after the draw, its outcome. */
export function ReceiptView({ receipt }: { receipt: RegistrationReceipt }) {
  const { t, i18n } = useTranslation('resident');
  const headline =
    receipt.status === 'won'
      ? receipt.issue === 'limit'
        ? t('rounds.lotteryWonLimit')
        : t('rounds.lotteryWon')
      : receipt.status === 'not_won'
        ? t('rounds.lotteryNotWon')
        : t('rounds.lotteryRegistered');
  return (
    <div className="q-stack" role="status">
      <strong>{headline}</strong>
      <div className="q-muted">
        {t('rounds.lotteryDrawAt', { time: formatDateTime(receipt.drawAt, i18n.language) })}
      </div>
      <div>
        {t('rounds.lotteryEntry')}: <code aria-label={t('rounds.lotteryEntry')}>{receipt.entry.slice(0, 16)}</code>
      </div>
      {receipt.status !== 'registered' && <div className="q-muted">{t('rounds.lotteryCheck')}</div>}
      {receipt.status === 'won' && receipt.issue === 'issued' && (
        <Link className="q-link" to="/wallet">
          {t('outcome.toWallet')}
        </Link>
      )}
    </div>
  );
}

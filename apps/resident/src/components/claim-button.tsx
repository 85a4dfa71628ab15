import { useRef, useState } from 'react';
import { Button } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiProblem, newIdempotencyKey, ok, serverNow } from '@quan/web-api';
import { useSignedIn } from '@quan/web-ui';
import { type ClaimAnswer, type ClaimOutcome, runClaimAttempt } from '../claim-attempt';
import { useCareMode } from '../preferences';
import { queryClient } from '../query';
import { api, session } from '../runtime';
import { ruleText } from '../rules';
import type { Offer, Round, Voucher } from '../types';

/** A claim answer slower than this is treated as unclear and sent again with the same key. */
const CLAIM_TIMEOUT_MS = 8000;

/** The key of an attempt whose outcome is still unclear survives a reload, so tapping again resumes it. */
const pendingKey = (offerId: string) => `quan.resident.claim.${offerId}`;

function storedKey(offerId: string): string | undefined {
  try {
    return sessionStorage.getItem(pendingKey(offerId)) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeKey(offerId: string, key: string | undefined): void {
  try {
    if (key) sessionStorage.setItem(pendingKey(offerId), key);
    else sessionStorage.removeItem(pendingKey(offerId));
  } catch {
    // private browsing: the key lives in memory only
  }
}

async function sendClaim(roundId: string, offerId: string, key: string): Promise<ClaimAnswer<Voucher>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CLAIM_TIMEOUT_MS);
  try {
    const result = await ok(
      api.POST('/api/v1/rounds/{roundId}/claims', {
        params: { path: { roundId } },
        headers: { 'Idempotency-Key': key },
        body: { offerId },
        signal: controller.signal,
      }),
    );
    return { ok: true, vouchers: result.vouchers };
  } catch (error) {
    const problem = ApiProblem.from(error);
    return { ok: false, status: problem.status, code: problem.code, retryAfterSeconds: problem.retryAfterSeconds };
  } finally {
    clearTimeout(timer);
  }
}

/** Answers after which this offer cannot be claimed again on this page, and what its button then says. */
const DONE_LABELS: Partial<Record<ClaimOutcome<Voucher>['state'], string>> = {
  won: 'rounds.wonLabel',
  soldOut: 'rounds.soldOutTag',
  limitReached: 'rounds.limitLabel',
  closed: 'outcome.closed',
};

/** What the button says: the attempt under way, a final answer, the stock, the round's time, or a wait. */
function buttonLabel(s: {
  claiming: boolean;
  outcome?: ClaimOutcome<Voucher>;
  soldOut: boolean;
  now: number;
  opensAt: number;
  closesAt: number;
  waitLeft: number;
}): [string, Record<string, number>?] {
  const done = s.outcome && DONE_LABELS[s.outcome.state];
  if (s.claiming) return ['rounds.claiming'];
  if (done) return [done];
  if (s.soldOut) return ['rounds.soldOutTag'];
  if (s.now < s.opensAt) return ['rounds.notYet'];
  if (s.now >= s.closesAt) return ['outcome.closed'];
  if (s.outcome?.state === 'busy')
    return s.waitLeft > 0 ? ['outcome.retryIn', { seconds: s.waitLeft }] : ['outcome.retry'];
  return ['rounds.claim'];
}

export function ClaimButton({ round, offer, now }: { round: Round; offer: Offer; now: number }) {
  const { t } = useTranslation('resident');
  const care = useCareMode();
  const navigate = useNavigate();
  const signedIn = useSignedIn(session);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => ok(api.GET('/api/v1/me')),
    enabled: signedIn,
    staleTime: Infinity,
  });
  const [outcome, setOutcome] = useState<ClaimOutcome<Voucher>>();
  const [busyUntil, setBusyUntil] = useState(0);
  const [claiming, setClaiming] = useState(false);
  const key = useRef<string | undefined>(storedKey(offer.id));

  const opensAt = Date.parse(round.opensAt);
  const closesAt = Date.parse(round.closesAt);
  const waitLeft = Math.max(0, Math.ceil((busyUntil - now) / 1000));

  async function claim() {
    if (claiming) return;
    // One tap is one attempt; an attempt left unclear (busy) is resumed with its key, never replaced.
    key.current ??= newIdempotencyKey();
    storeKey(offer.id, key.current);
    setClaiming(true);
    setOutcome(undefined);
    const result = await runClaimAttempt<Voucher>(key.current, {
      msSinceOpening: () => serverNow() - opensAt,
      send: (k) => sendClaim(round.id, offer.id, k),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
    });
    setClaiming(false);
    setOutcome(result);
    if (result.state === 'busy') {
      setBusyUntil(serverNow() + result.retryInSeconds * 1000);
      return;
    }
    key.current = undefined;
    storeKey(offer.id, undefined);
    if (result.state === 'won') void queryClient.invalidateQueries({ queryKey: ['vouchers'] });
    // The stock shown changed: a win took a pack, a sold-out answer means the list is behind.
    if (result.state === 'won' || result.state === 'soldOut')
      void queryClient.invalidateQueries({ queryKey: ['rounds'] });
    if (result.state === 'needsIdentity') navigate('/verify?next=/');
    if (result.state === 'needsLogin') navigate('/login?next=/');
  }

  if (!signedIn) {
    return (
      <Link className="q-link" to="/login?next=/">
        {t('rounds.loginToClaim')}
      </Link>
    );
  }
  if (me.data && !me.data.identityVerified) {
    return (
      <Link className="q-link" to="/verify?next=/">
        {t('rounds.verifyToClaim')}
      </Link>
    );
  }

  const open = now >= opensAt && now < closesAt;
  const done = outcome !== undefined && DONE_LABELS[outcome.state] !== undefined;
  const disabled = !open || done || offer.remaining === 0 || waitLeft > 0;
  const [labelKey, labelValues] = buttonLabel({
    claiming,
    outcome,
    soldOut: offer.remaining === 0,
    now,
    opensAt,
    closesAt,
    waitLeft,
  });

  return (
    <div className="q-stack">
      <Button color="primary" block size="large" disabled={disabled} loading={claiming} onClick={() => void claim()}>
        {t(labelKey, labelValues)}
      </Button>
      <div aria-live="assertive">{outcome && <OutcomeView outcome={outcome} care={care} />}</div>
    </div>
  );
}

function OutcomeView({ outcome, care }: { outcome: ClaimOutcome<Voucher>; care: boolean }) {
  const { t } = useTranslation('resident');
  switch (outcome.state) {
    case 'won':
      return (
        <div className="q-note q-ok q-stack" role="status">
          <strong>{t('outcome.won')}</strong>
          <div>{t('outcome.wonDetail', { count: outcome.vouchers.length })}</div>
          <ul>
            {outcome.vouchers.map((voucher) => (
              <li key={voucher.id}>
                {ruleText(voucher, t).title} · {voucher.shortCode}
              </li>
            ))}
          </ul>
          {/* 关怀模式: one step fewer, straight to the first voucher's pay code. */}
          <Link className="q-link" to={care && outcome.vouchers[0] ? `/wallet/${outcome.vouchers[0].id}` : '/wallet'}>
            {care ? t('outcome.showQr') : t('outcome.toWallet')}
          </Link>
        </div>
      );
    case 'soldOut':
      return <Note text={t('outcome.soldOut')} hint={t('outcome.soldOutHint')} />;
    case 'limitReached':
      return <Note text={t('outcome.limitReached')} hint={t('outcome.limitReachedHint')} />;
    case 'notOpen':
      return <Note text={t('outcome.notOpen')} />;
    case 'closed':
      return <Note text={t('outcome.closed')} />;
    case 'busy':
      return <Note text={t('outcome.busy', { seconds: outcome.retryInSeconds })} hint={t('outcome.busyHint')} />;
    case 'failed':
      return <Note text={t(`errors:${outcome.code}`, { seconds: 5 })} />;
    case 'needsIdentity':
    case 'needsLogin':
      return null;
  }
}

function Note({ text, hint }: { text: string; hint?: string }) {
  return (
    <div className="q-note q-bad" role="status">
      <strong>{text}</strong>
      {hint && <div>{hint}</div>}
    </div>
  );
}

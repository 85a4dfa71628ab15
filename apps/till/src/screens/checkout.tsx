import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, type ButtonRef } from 'antd-mobile';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiProblem, ok } from '@quan/web-api';
import { formatFen, formatTime, parseYuanToFen } from '@quan/web-core';
import { CameraScanner } from '../components/camera-scanner';
import { Keypad } from '../components/keypad';
import { ScanInput } from '../components/scan-input';
import { QuoteLines } from '../components/quote-lines';
import type { AttemptResult, RedemptionRequest } from '../redemption-attempt';
import { type Refusal, refusalMessage } from '../refusal';
import { api, attempts, type Quote, type Redemption } from '../runtime';
import { readScanned, type Scanned } from '../scan-text';

type Phase = 'entry' | 'quoting' | 'confirming' | 'unclear';

function requestOf(scanned: Scanned, orderAmountFen: number): RedemptionRequest {
  return scanned.kind === 'token' ? { token: scanned.token, orderAmountFen } : { code: scanned.code, orderAmountFen };
}

/**
 * 收款: the amount on the keypad, the voucher by camera, barcode gun or typed code, the quote, one
 * confirm. The confirm runs through `attempts` (exactly once: one key per attempt, kept until an
 * answer arrives); an attempt left without an answer (a reload, a lost connection) is resumed here.
 */
export function Component() {
  const { t, i18n } = useTranslation('till');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const scanInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<ButtonRef>(null);
  const refusalCard = useRef<HTMLElement>(null);
  /** Counts quote requests and amount changes: only the answer to the latest request is shown. */
  const quoteAsked = useRef(0);
  const [amount, setAmount] = useState('');
  const [scanned, setScanned] = useState<Scanned>();
  const [quote, setQuote] = useState<Quote>();
  // An attempt left unanswered before this screen opened (a reload): shown as such until it settles.
  const [resumed, setResumed] = useState(() => attempts.pending());
  const [phase, setPhase] = useState<Phase>(() => (resumed ? 'confirming' : 'entry'));
  const [refusal, setRefusal] = useState<string>();
  const pending = attempts.pending();
  const amountFen = parseYuanToFen(amount);

  const settle = useCallback(
    (result: AttemptResult<Redemption>) => {
      if (result.state === 'redeemed') {
        queries.setQueryData(['redemption', result.redemption.id], result.redemption);
        void queries.invalidateQueries({ queryKey: ['today'] });
        navigate(`/receipt/${result.redemption.id}`);
      } else if (result.state === 'refused') {
        setResumed(undefined);
        setPhase('entry');
        setQuote(undefined);
        setRefusal(refusalMessage(result, t, i18n.language));
      } else {
        setPhase('unclear');
      }
    },
    [queries, navigate, t, i18n.language],
  );

  // An attempt stored before a reload: finish it with its key before anything else.
  useEffect(() => {
    const resumed = attempts.resume();
    if (resumed) void resumed.then(settle);
  }, [settle]);

  // Back online with an attempt still unanswered: continue it without waiting for a tap.
  useEffect(() => {
    if (phase !== 'unclear') return;
    const onOnline = () => {
      setPhase('confirming');
      void attempts.resume()?.then(settle);
    };
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [phase, settle]);

  // A new quote brings its confirm button into view and focus: one tap, or Enter on a gun's keyboard.
  useEffect(() => {
    if (!quote) return;
    confirmButton.current?.nativeElement?.scrollIntoView({ block: 'center' });
    confirmButton.current?.nativeElement?.focus();
  }, [quote]);

  // A refusal is read where the cashier looks, not below the keypad.
  useEffect(() => {
    if (refusal) refusalCard.current?.scrollIntoView({ block: 'center' });
  }, [refusal]);

  async function askQuote(voucher: Scanned, fen: number) {
    const asked = (quoteAsked.current += 1);
    setPhase('quoting');
    setRefusal(undefined);
    try {
      const answer = await ok(api.POST('/api/v1/merchant/redemptions/quote', { body: requestOf(voucher, fen) }));
      if (asked === quoteAsked.current) setQuote(answer);
    } catch (error) {
      const problem = ApiProblem.from(error);
      if (asked === quoteAsked.current)
        setRefusal(refusalMessage({ code: problem.code, body: problem.body } satisfies Refusal, t, i18n.language));
    } finally {
      if (asked === quoteAsked.current) setPhase('entry');
    }
  }

  const onRead = useCallback(
    (text: string) => {
      const voucher = readScanned(text);
      setQuote(undefined);
      if (!voucher) {
        setRefusal(t('checkout.notVoucher'));
        return;
      }
      setScanned(voucher);
      setRefusal(undefined);
      if (amountFen) void askQuote(voucher, amountFen);
    },
    // askQuote reads only the latest state through its arguments
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [amountFen, t],
  );

  /**
   * A new amount voids the quote, and an answer still on its way for the old amount (the camera read
   * the code while the amount was being typed); the voucher stays read, to be quoted again.
   */
  function onAmount(next: string) {
    if (phase === 'confirming') return;
    quoteAsked.current += 1;
    setAmount(next);
    setQuote(undefined);
    setPhase('entry');
    if (scanned) setRefusal(undefined);
  }

  function confirm() {
    if (!quote || !scanned || !amountFen) return;
    setPhase('confirming');
    void attempts.confirm(requestOf(scanned, amountFen)).then(settle);
  }

  function retry() {
    setPhase('confirming');
    void attempts.resume()?.then(settle);
  }

  function reset() {
    setScanned(undefined);
    setQuote(undefined);
    setRefusal(undefined);
    scanInput.current?.focus();
  }

  const waiting = pending ?? resumed;
  if (waiting && (phase === 'unclear' || (resumed && phase === 'confirming'))) {
    return (
      <section className="q-card q-stack" aria-live="polite">
        <h2>{t('checkout.title')}</h2>
        <p className="q-note">{t('checkout.pending', { time: formatTime(waiting.startedAt, i18n.language) })}</p>
        {phase === 'unclear' && (
          <>
            <p className="q-note q-bad" role="alert">
              {t('checkout.unclear')}
            </p>
            <Button color="primary" block size="large" onClick={retry}>
              {t('checkout.retry')}
            </Button>
          </>
        )}
      </section>
    );
  }

  return (
    <>
      <h2>{t('checkout.title')}</h2>
      <section className="q-card">
        <label className="q-field" htmlFor="amount">
          <span>{t('checkout.amount')}</span>
        </label>
        <output id="amount" className="q-amount" aria-live="polite">
          {amount ? `¥${amount}` : <span className="q-muted">{t('checkout.amountPlaceholder')}</span>}
        </output>
        <Keypad value={amount} onChange={onAmount} />
      </section>

      <ScanInput inputRef={scanInput} onScan={onRead} />

      {!scanned && <CameraScanner onRead={onRead} />}

      <div aria-live="polite" className="q-stack">
        {refusal && (
          <section ref={refusalCard} className="q-card q-refusal" role="alert">
            <h3>{t('checkout.refusedTitle')}</h3>
            <p>{refusal}</p>
            <Button block onClick={reset}>
              {t('checkout.rescan')}
            </Button>
          </section>
        )}
        {scanned && !refusal && (
          <section className="q-card q-stack">
            <div className="q-row">
              <span>
                {t('checkout.scanned', { what: scanned.kind === 'code' ? scanned.code : t('checkout.scannedToken') })}
              </span>
              <Button size="small" fill="outline" onClick={reset}>
                {t('checkout.rescan')}
              </Button>
            </div>
            {!quote && (
              <>
                {!amountFen && <p className="q-note">{t('checkout.needAmount')}</p>}
                <Button
                  color="primary"
                  block
                  size="large"
                  disabled={!amountFen}
                  loading={phase === 'quoting'}
                  onClick={() => {
                    if (amountFen) void askQuote(scanned, amountFen);
                  }}
                >
                  {phase === 'quoting' ? t('checkout.quoting') : t('checkout.quote')}
                </Button>
              </>
            )}
            {quote && (
              <>
                <QuoteLines quote={quote} />
                <Button
                  ref={confirmButton}
                  color="primary"
                  block
                  size="large"
                  className="q-confirm"
                  disabled={phase === 'confirming'}
                  onClick={confirm}
                >
                  {phase === 'confirming'
                    ? t('checkout.confirming')
                    : t('checkout.confirm', { amount: formatFen(quote.payableFen) })}
                </Button>
              </>
            )}
          </section>
        )}
      </div>
    </>
  );
}

import { type FormEvent, useEffect, useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { normalisePhone } from '@quan/domain';
import { isApiProblem, ok } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { useCareMode } from '../preferences';
import { api, session } from '../runtime';
import { afterSignIn } from './sign-in';

/** Seconds the send button waits after a code was sent (the api's own limit is looser). */
const RESEND_SECONDS = 60;

/** A countdown in whole seconds for the send button; no clock is read while rendering. */
function useSecondsLeft(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

export function Component() {
  const { t } = useTranslation('resident');
  const care = useCareMode();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [phoneTouched, setPhoneTouched] = useState(false);
  const [note, setNote] = useState<{ kind: 'ok' | 'wait' | 'bad'; text: string }>();
  const [devCode, setDevCode] = useState<string>();
  const [sending, setSending] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [secondsLeft, startWait] = useSecondsLeft();

  const normalised = normalisePhone(phone);
  const phoneError = phoneTouched && !normalised ? t('login.phoneInvalid') : undefined;
  const codeValid = /^\d{6}$/.test(code);

  async function sendCode() {
    setPhoneTouched(true);
    if (!normalised || secondsLeft > 0) return;
    setSending(true);
    try {
      const sent = await ok(api.POST('/api/v1/auth/otp', { body: { phone: normalised } }));
      startWait(RESEND_SECONDS);
      setDevCode(sent.devCode ?? undefined);
      setNote({ kind: 'ok', text: t('login.codeSent', { minutes: Math.round(sent.expiresIn / 60) }) });
    } catch (error) {
      // A rate limit is a wait, not a failure: the button counts the seconds down.
      if (isApiProblem(error) && error.code === 'RATE_LIMITED') {
        const seconds = error.retryAfterSeconds ?? RESEND_SECONDS;
        startWait(seconds);
        setNote({ kind: 'wait', text: t('login.waitFor', { seconds }) });
      } else {
        setNote({ kind: 'bad', text: problemMessage(error, t) });
      }
    } finally {
      setSending(false);
    }
  }

  async function logIn(withCode = code) {
    if (!normalised || !/^\d{6}$/.test(withCode) || submitting) return;
    setSubmitting(true);
    try {
      session.set(await ok(api.POST('/api/v1/auth/login', { body: { phone: normalised, code: withCode } })));
      await afterSignIn(navigate, params.get('next'));
    } catch (error) {
      setNote({ kind: 'bad', text: problemMessage(error, t) });
    } finally {
      setSubmitting(false);
    }
  }

  function onCode(value: string) {
    const digits = value.replace(/\D/g, '').slice(0, 6);
    setCode(digits);
    // 关怀模式: one step fewer, the sixth digit logs in.
    if (care && digits.length === 6) void logIn(digits);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void logIn();
  }

  return (
    <form className="q-card" onSubmit={onSubmit} noValidate>
      <h2>{t('login.title')}</h2>
      <label className="q-field">
        <span>{t('login.phone')}</span>
        <div className="q-inline">
          <input
            className="q-input"
            type="tel"
            inputMode="numeric"
            autoComplete="tel-national"
            placeholder={t('login.phonePlaceholder')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            onBlur={() => setPhoneTouched(phone.length > 0)}
            aria-invalid={phoneError ? true : undefined}
            aria-describedby={phoneError ? 'phone-error' : undefined}
          />
          <Button
            type="button"
            color="primary"
            fill="outline"
            disabled={secondsLeft > 0}
            loading={sending}
            onClick={() => void sendCode()}
          >
            {secondsLeft > 0 ? t('login.resendIn', { seconds: secondsLeft }) : t('login.sendCode')}
          </Button>
        </div>
        {phoneError && (
          <div id="phone-error" className="q-note q-bad">
            {phoneError}
          </div>
        )}
      </label>
      <label className="q-field">
        <span>{t('login.code')}</span>
        <input
          className="q-input"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          placeholder={t('login.codePlaceholder')}
          value={code}
          onChange={(e) => onCode(e.target.value)}
        />
      </label>
      <div aria-live="polite" className="q-stack">
        {note && (
          <p className={`q-note ${note.kind === 'ok' ? 'q-ok' : note.kind === 'bad' ? 'q-bad' : ''}`}>{note.text}</p>
        )}
        {devCode && <p className="q-note">{t('login.devCode', { code: devCode })}</p>}
      </div>
      <Button
        type="submit"
        color="primary"
        block
        size="large"
        disabled={!normalised || !codeValid}
        loading={submitting}
        style={{ marginTop: 12 }}
      >
        {t('login.submit')}
      </Button>
    </form>
  );
}

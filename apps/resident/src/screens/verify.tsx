import { type FormEvent, useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { normaliseIdNumber } from '@quan/domain';
import { isApiProblem, ok } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';
import { queryClient } from '../query';
import { api, session } from '../runtime';

type IdCheck = { kind: 'incomplete'; missing: number } | { kind: 'invalid' } | { kind: 'valid'; id: string };

/** The same check the api makes (GB 11643 check character and birth date), as the resident types. */
function checkId(input: string): IdCheck {
  const id = input.trim().toUpperCase();
  if (id.length < 18 && /^\d*$/.test(id)) return { kind: 'incomplete', missing: 18 - id.length };
  const valid = normaliseIdNumber(id);
  return valid ? { kind: 'valid', id: valid } : { kind: 'invalid' };
}

export function Component() {
  const { t } = useTranslation('resident');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const check = checkId(idNumber);
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (check.kind !== 'valid' || !name.trim() || submitting) return;
    setSubmitting(true);
    setError(undefined);
    try {
      // The api answers new tokens that carry the identity: claims need them.
      session.set(await ok(api.POST('/api/v1/me/identity', { body: { name: name.trim(), idNumber: check.id } })));
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      navigate(next, { replace: true });
    } catch (caught) {
      if (isApiProblem(caught) && caught.code === 'IDENTITY_ALREADY_VERIFIED') {
        navigate(next, { replace: true });
        return;
      }
      setError(problemMessage(caught, t));
    } finally {
      setSubmitting(false);
    }
  }

  const hint =
    check.kind === 'incomplete' ? (
      idNumber && <p className="q-note">{t('verify.idIncomplete', { count: check.missing })}</p>
    ) : check.kind === 'invalid' ? (
      <p className="q-note q-bad">{t('verify.idInvalid')}</p>
    ) : (
      <p className="q-note q-ok">{t('verify.idValid')}</p>
    );

  return (
    <form className="q-card" onSubmit={onSubmit} noValidate>
      <h2>{t('verify.title')}</h2>
      <p>{t('verify.why')}</p>
      <label className="q-field">
        <span>{t('verify.name')}</span>
        <input
          className="q-input"
          autoComplete="name"
          placeholder={t('verify.namePlaceholder')}
          value={name}
          maxLength={40}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="q-field">
        <span>{t('verify.idNumber')}</span>
        <input
          className="q-input"
          autoComplete="off"
          inputMode="text"
          placeholder={t('verify.idPlaceholder')}
          value={idNumber}
          maxLength={18}
          onChange={(e) => setIdNumber(e.target.value.replace(/[^\dxX]/g, '').toUpperCase())}
          aria-invalid={check.kind === 'invalid' ? true : undefined}
          aria-describedby="id-check"
        />
      </label>
      <div id="id-check" aria-live="polite">
        {hint}
      </div>
      {error && (
        <p className="q-note q-bad" role="alert">
          {error}
        </p>
      )}
      <p className="q-muted">{t('verify.privacy')}</p>
      <Button
        type="submit"
        color="primary"
        block
        size="large"
        disabled={check.kind !== 'valid' || !name.trim()}
        loading={submitting}
      >
        {t('verify.submit')}
      </Button>
    </form>
  );
}

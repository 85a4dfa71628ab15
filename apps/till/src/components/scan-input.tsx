import { type FormEvent, type Ref, useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { checkTyped, readScanned } from '../scan-text';

/**
 * The scan input: a barcode gun types the code as keystrokes and Enter, a cashier types the short code.
 * A component of its own, so the gun's hundreds of keystrokes re-render only this input, not the
 * checkout. A short code is checked as it is typed; a wrong one is never handed on, so nothing is sent.
 */
export function ScanInput({ inputRef, onScan }: { inputRef: Ref<HTMLInputElement>; onScan: (text: string) => void }) {
  const { t } = useTranslation('till');
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  const codeError = wrong || checkTyped(typed) === 'invalid';

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!typed.trim()) return;
    if (!readScanned(typed)) {
      setWrong(true);
      return;
    }
    onScan(typed);
    setTyped('');
  }

  return (
    <form className="q-card" onSubmit={onSubmit} noValidate>
      <label className="q-field">
        <span>{t('checkout.scanLabel')}</span>
        <div className="q-inline">
          <input
            ref={inputRef}
            className="q-input q-scan"
            name="scan"
            // The gun types here: focused from the start.
            autoFocus
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            enterKeyHint="go"
            placeholder={t('checkout.scanPlaceholder')}
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
              setWrong(false);
            }}
            aria-invalid={codeError ? true : undefined}
            aria-describedby="scan-help"
          />
          <Button type="submit" color="primary" fill="outline" disabled={!typed.trim() || codeError}>
            {t('checkout.submitCode')}
          </Button>
        </div>
      </label>
      <p id="scan-help" className={codeError ? 'q-note q-bad' : 'q-muted'}>
        {codeError ? t('checkout.codeInvalid') : t('checkout.scanHelp')}
      </p>
    </form>
  );
}

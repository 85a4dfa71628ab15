import { useTranslation } from 'react-i18next';
import { type KeypadKey, pressKey } from '../keypad';

const KEYS: KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', 'back'];

/**
 * The amount keypad. Its keys never take the focus (mousedown is cancelled), so a barcode gun keeps
 * typing into the scan input while the cashier taps the amount.
 */
export function Keypad({ value, onChange }: { value: string; onChange: (next: string) => void }) {
  const { t } = useTranslation('till');
  return (
    <div className="q-keypad" role="group" aria-label={t('checkout.keypad')}>
      {KEYS.map((key) => (
        <button
          key={key}
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onChange(pressKey(value, key))}
          aria-label={key === 'back' ? t('checkout.back') : undefined}
        >
          {key === 'back' ? '⌫' : key}
        </button>
      ))}
      <button
        type="button"
        className="q-keypad-wide"
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onChange(pressKey(value, 'clear'))}
      >
        {t('checkout.clear')}
      </button>
    </div>
  );
}

import { InputNumber } from 'antd';
import { useState } from 'react';
import { parseYuanToFen } from '@quan/web-core';

/** Whole fen as the yuan text an operator types: 500000 → "5000.00". */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface YuanInputProps {
  /** Whole fen (the api's unit); undefined when empty or not an amount. */
  value?: number | null;
  onChange?: (fen: number | undefined) => void;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
}

/**
 * An amount typed in yuan for a Form field held in fen, never through a float: the text is read by
 * parseYuanToFen (at most two decimals).
 */
export function YuanInput({ value, onChange, ...rest }: YuanInputProps) {
  const [text, setText] = useState<string | null>(value === undefined || value === null ? null : fenToYuanText(value));
  const shown =
    text !== null && parseYuanToFen(text) === value
      ? text
      : value === undefined || value === null
        ? text
        : fenToYuanText(value);
  return (
    <InputNumber<string>
      {...rest}
      stringMode
      min="0"
      step="1"
      suffix="元"
      style={{ width: '100%' }}
      value={shown}
      onChange={(next) => {
        setText(next);
        onChange?.(next === null || next === '' ? undefined : parseYuanToFen(next));
      }}
    />
  );
}

import type { ReactNode } from 'react';
import { Tag } from 'antd';

/**
 * Solid colours dark enough for white text at AA contrast (antd's light preset tags are not), one per
 * meaning; `none` is antd's default grey tag.
 */
const TONES = { ok: '#237804', info: '#0b5cab', warn: '#ad4e00', bad: '#a8071a', none: undefined } as const;
export type Tone = keyof typeof TONES;

export function ToneTag({ tone, icon, children }: { tone: Tone; icon?: ReactNode; children: ReactNode }) {
  return (
    <Tag color={TONES[tone]} icon={icon}>
      {children}
    </Tag>
  );
}

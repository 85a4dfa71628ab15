import { useSyncExternalStore } from 'react';
import { browserStorage } from '@quan/web-core';

/**
 * 关怀模式 (MIIT 适老化: large text, high contrast, big touch targets, fewer steps), remembered on the
 * phone. It is a class on <html> so the whole theme (theme.css) follows one switch, set before the first
 * paint by main.tsx.
 */
const CARE_KEY = 'quan.resident.care';
const listeners = new Set<() => void>();

let care = browserStorage().getItem(CARE_KEY) === '1';

export function applyCareMode(): void {
  document.documentElement.classList.toggle('care', care);
}

export function setCareMode(on: boolean): void {
  care = on;
  browserStorage().setItem(CARE_KEY, on ? '1' : '0');
  applyCareMode();
  for (const listener of listeners) listener();
}

export function useCareMode(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => care,
  );
}

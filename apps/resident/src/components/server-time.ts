import { useEffect, useState } from 'react';
import { serverNow } from '@quan/web-api';

/**
 * The server's time, re-rendered at each of its second boundaries and exactly at each of `moments` (an
 * opening, a closing), so a countdown reads the server's seconds and a claim button lights up at the
 * opening second itself, not up to a second late.
 */
export function useServerTime(...moments: number[]): number {
  const [now, setNow] = useState(serverNow);
  // A string stands for the moments, which arrive as a fresh array on every render.
  const key = moments.join(',');
  useEffect(() => {
    const current = serverNow();
    const toNextSecond = 1000 - (current % 1000);
    const ahead = key
      ? key
          .split(',')
          .map(Number)
          .filter((at) => at > current)
      : [];
    const timer = setTimeout(() => setNow(serverNow()), Math.min(toNextSecond, ...ahead.map((at) => at - current)));
    return () => clearTimeout(timer);
  }, [now, key]);
  return now;
}

/**
 * The server's clock, learnt from the `Date` header of every answer and from the `serverTime` of the rounds
 * (to the millisecond, one answer pins it). The header has whole seconds, so one
 * answer only bounds the offset: server time at receipt lies in [Date, Date + 1 s) and was read between
 * sending and receiving. Each answer narrows the bounds; the estimate is their middle. Countdowns to an
 * opening use this, never the phone's own clock, which may be minutes off.
 */
export class ServerClock {
  private low = -Infinity;
  private high = Infinity;

  constructor(private readonly localNow: () => number = () => Date.now()) {}

  /** Records one answer: `sentAt` and `receivedAt` are local times, `dateHeader` the answer's Date. */
  observe(dateHeader: string | null, sentAt: number, receivedAt: number): void {
    if (dateHeader) this.narrow(Date.parse(dateHeader), 1000, sentAt, receivedAt);
  }

  /** Records a server time to the millisecond that an answer carried (a round's `serverTime`). */
  observeExact(serverTime: string, sentAt: number, receivedAt: number): void {
    this.narrow(Date.parse(serverTime), 0, sentAt, receivedAt);
  }

  /** The server read its clock between sending and receiving, as `server` (up to `resolution` ms later). */
  private narrow(server: number, resolution: number, sentAt: number, receivedAt: number): void {
    if (Number.isNaN(server)) return;
    const low = server - receivedAt;
    const high = server + resolution - sentAt;
    // Bounds that no longer overlap mean the phone's clock jumped (set by hand, NTP): start again.
    if (low > this.high || high < this.low) {
      this.low = low;
      this.high = high;
      return;
    }
    this.low = Math.max(this.low, low);
    this.high = Math.min(this.high, high);
  }

  /** Milliseconds to add to the local clock to get the server's (0 before any answer). */
  get offsetMs(): number {
    return Number.isFinite(this.low) ? Math.round((this.low + this.high) / 2) : 0;
  }

  now(): number {
    return this.localNow() + this.offsetMs;
  }
}

export const serverClock = new ServerClock();

/** The server's current time in epoch milliseconds, as far as the answers seen so far tell. */
export function serverNow(): number {
  return serverClock.now();
}

/** The part of the Web Storage API the session and the language preference use. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Storage that lasts as long as the page: where localStorage is missing or refused. */
export class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let fallback: MemoryStorage | undefined;

/**
 * localStorage when the page may use it; otherwise (some in-app browsers disable it, and reading it then
 * throws) one in-memory storage for the page, so the app still works and only forgets on reload.
 */
export function browserStorage(): KeyValueStorage {
  try {
    const storage = globalThis.localStorage;
    if (storage) {
      storage.getItem('quan.probe');
      return storage;
    }
  } catch {
    // refused: fall through
  }
  fallback ??= new MemoryStorage();
  return fallback;
}

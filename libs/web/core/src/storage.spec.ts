import { browserStorage, MemoryStorage } from './storage';

describe('browser storage', () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  afterEach(() => {
    if (original) Object.defineProperty(globalThis, 'localStorage', original);
    else delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('is localStorage when the page may use it', () => {
    const local = new MemoryStorage();
    Object.defineProperty(globalThis, 'localStorage', { value: local, configurable: true });
    expect(browserStorage()).toBe(local);
  });

  it('is one in-memory storage for the page when localStorage is refused', () => {
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    browserStorage().setItem('k', 'v');
    expect(browserStorage().getItem('k')).toBe('v');
  });
});

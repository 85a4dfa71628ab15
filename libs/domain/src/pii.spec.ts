import { maskPhone } from './pii';

describe('maskPhone', () => {
  it('keeps only the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('861******5678');
  });

  it('hides short numbers entirely', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
});

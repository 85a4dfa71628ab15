import { maskName, normaliseIdNumber, normalisePhone } from './identity';

describe('identity numbers, phones and names', () => {
  it('accepts ID numbers with a correct check character and birth date', () => {
    expect(normaliseIdNumber('11010519491231002x')).toBe('11010519491231002X');
    expect(normaliseIdNumber('110105194912310021')).toBeUndefined();
    expect(normaliseIdNumber('11010519491331002X')).toBeUndefined();
    expect(normaliseIdNumber('1101051949123100')).toBeUndefined();
  });

  it('normalises mainland mobile numbers', () => {
    expect(normalisePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalisePhone('12812345678')).toBeUndefined();
    expect(normalisePhone('1381234567')).toBeUndefined();
  });

  it('masks names to the family name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('*');
  });
});

import { parseYuanToFen } from '@quan/web-core';
import { KeypadKey, pressKey } from './keypad';

const type = (keys: KeypadKey[]) => keys.reduce(pressKey, '');

describe('the amount keypad', () => {
  it('builds a yuan amount that parses to exact fen', () => {
    expect(type(['1', '2', '8', '.', '5'])).toBe('128.5');
    expect(parseYuanToFen(type(['1', '2', '8', '.', '5']))).toBe(12850);
    expect(parseYuanToFen(type(['0', '.', '1', '9']))).toBe(19);
  });

  it('keeps at most two decimals, one point, no leading zero and six integer digits', () => {
    expect(type(['.', '5', '5', '5', '.'])).toBe('0.55');
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['9', '9', '9', '9', '9', '9', '9'])).toBe('999999');
  });

  it('deletes the last key and clears', () => {
    expect(type(['1', '2', 'back'])).toBe('1');
    expect(type(['1', '2', 'clear'])).toBe('');
  });
});

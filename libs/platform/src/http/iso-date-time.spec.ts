import { validateSync } from 'class-validator';
import { IsFen } from './iso-date-time';

class Order {
  @IsFen({ min: 1, max: 10000 })
  amountFen!: unknown;
}

function messagesFor(amountFen: unknown): string[] {
  const order = Object.assign(new Order(), { amountFen });
  return validateSync(order).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('IsFen', () => {
  it.each([
    ['a string', '5000'],
    ['a fraction', 50.5],
    ['beyond 2^53', 2 ** 53],
    ['null', null],
  ])('tells %s that it must be an integer number of fen, and nothing else', (_name, value) => {
    expect(messagesFor(value)).toEqual(['amountFen must be an integer number of fen']);
  });

  it('names the bound an integer amount misses', () => {
    expect(messagesFor(0)).toEqual(['amountFen must be at least 1 fen']);
    expect(messagesFor(10001)).toEqual(['amountFen must be at most 10000 fen']);
    expect(messagesFor(10000)).toEqual([]);
  });
});

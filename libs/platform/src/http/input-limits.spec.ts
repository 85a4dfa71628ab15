import { INPUT_LIMITS, inputProblems } from './input-limits';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < levels; level += 1) value = { a: value };
  return value;
};

describe('inputProblems', () => {
  it('measures a value nested 10,000 levels deep without overflowing the stack, naming where the limit is passed', () => {
    expect(inputProblems(nested(10_000), 'body')).toEqual([
      {
        field: `${'a.'.repeat(INPUT_LIMITS.depth - 1)}a`,
        messages: [`${'a.'.repeat(INPUT_LIMITS.depth - 1)}a is nested more than ${INPUT_LIMITS.depth} levels deep`],
      },
    ]);
    expect(inputProblems(nested(INPUT_LIMITS.depth), 'body')).toEqual([]);
  });

  it('refuses NUL and unpaired surrogates in values and property names, and takes any other Unicode text', () => {
    const problems = inputProblems({ name: 'a\u0000b', list: ['\ud800'], ['x\u0000']: 1, tail: 'x\udc00' }, 'body');
    expect(problems.sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      {
        field: 'body',
        messages: ['a property name of body must be text without NUL characters or unpaired surrogates'],
      },
      { field: 'list.0', messages: ['list.0 must be text without NUL characters or unpaired surrogates'] },
      { field: 'name', messages: ['name must be text without NUL characters or unpaired surrogates'] },
      { field: 'tail', messages: ['tail must be text without NUL characters or unpaired surrogates'] },
    ]);
    expect(inputProblems({ name: '汉滨区 🧧 \t\n\u0001', 名字: 'é' }, 'body')).toEqual([]);
  });

  it('refuses a string and an array one past their limits, and takes them at their limits', () => {
    const atLimit = { text: 'x'.repeat(INPUT_LIMITS.stringLength), list: new Array(INPUT_LIMITS.arrayItems).fill(0) };
    expect(inputProblems(atLimit, 'body')).toEqual([]);
    const beyond = {
      text: 'x'.repeat(INPUT_LIMITS.stringLength + 1),
      list: new Array(INPUT_LIMITS.arrayItems + 1).fill(0),
    };
    expect(
      inputProblems(beyond, 'body')
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(['list', 'text']);
  });

  it("names the whole value by what it is: a bad property name of a query string is the query string's", () => {
    expect(inputProblems({ ['x\u0000']: 'y' }, 'query string')).toEqual([
      {
        field: 'query string',
        messages: ['a property name of query string must be text without NUL characters or unpaired surrogates'],
      },
    ]);
  });

  it('names at most ten problems, however many there are', () => {
    expect(inputProblems(new Array(1000).fill('\u0000'), 'body')).toHaveLength(10);
  });
});

import type { TFunction } from 'i18next';
import { ApiProblem } from '@quan/web-api';
import { fenToYuanText } from './components/yuan-input';
import { fieldPath, problemFields } from './problem-fields';

const t = ((key: string) => `«${key}»`) as unknown as TFunction;

async function problemOf(status: number, body: object): Promise<ApiProblem> {
  return ApiProblem.fromResponse(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } }),
  );
}

describe('api refusals at form fields', () => {
  it('reads a body pointer as an antd Form name', () => {
    expect(fieldPath('thresholdFen')).toEqual(['thresholdFen']);
    expect(fieldPath('offers[0].items[1].quantity')).toEqual(['offers', 0, 'items', 1, 'quantity']);
    expect(fieldPath('limits.perPersonPerDay')).toEqual(['limits', 'perPersonPerDay']);
    expect(fieldPath('eligibility.countyCodes[2]')).toEqual(['eligibility', 'countyCodes', 2]);
  });

  it('blames the field of a campaign rule with its code’s message', async () => {
    const problem = await problemOf(422, {
      code: 'THRESHOLD_NOT_ABOVE_DISCOUNT',
      status: 422,
      detail: 'x',
      field: 'thresholdFen',
    });
    expect(problemFields(problem, t)).toEqual([
      { name: ['thresholdFen'], errors: ['«errors:THRESHOLD_NOT_ABOVE_DISCOUNT»'] },
    ]);
  });

  it('blames each field of a validation failure with the api’s own messages after the code’s', async () => {
    const problem = await problemOf(400, {
      code: 'VALIDATION_FAILED',
      status: 400,
      detail: 'x',
      errors: [{ field: 'offers[0].stock', messages: ['stock must not be less than 0'] }],
    });
    expect(problemFields(problem, t)).toEqual([
      { name: ['offers', 0, 'stock'], errors: ['«errors:VALIDATION_FAILED»', 'stock must not be less than 0'] },
    ]);
  });

  it('blames no field for a refusal that names none', async () => {
    expect(
      problemFields(await problemOf(409, { code: 'CAMPAIGN_INVALID_TRANSITION', status: 409, detail: 'x' }), t),
    ).toEqual([]);
  });
});

describe('amounts in yuan', () => {
  it('shows whole fen as yuan with two decimals, without a float', () => {
    expect(fenToYuanText(500_000)).toBe('5000.00');
    expect(fenToYuanText(1005)).toBe('10.05');
    expect(fenToYuanText(0)).toBe('0.00');
    expect(fenToYuanText(900_719_925_474_099)).toBe('9007199254740.99');
  });
});

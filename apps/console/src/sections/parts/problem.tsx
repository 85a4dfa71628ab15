import { Alert, type FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';

/** A failed read or write in the console: the shared plain message for its code, announced as an alert. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" title={problemMessage(ApiProblem.from(error), t)} />;
}

/**
 * Puts a failed write's field problems on the form's fields: a validation failure's `errors[]` (its
 * messages, or the form's own hint for that field), or the one `field` a refusal such as ALREADY_EXISTS
 * names (the code's plain message). Returns whether any field of the form took one, so the caller shows
 * the problem at the top only when none did.
 */
export function showFieldProblems(form: FormInstance, error: unknown, t: TFunction, hints: Record<string, string> = {}): boolean {
  const problem = ApiProblem.from(error);
  const known = new Set(Object.keys(form.getFieldsValue(true) as object));
  const fields = problem.fields.map((f) => ({ name: f.field, errors: [hints[f.field] ?? f.messages.join('; ')] }));
  const named = (problem.body as { field?: unknown } | undefined)?.field;
  if (typeof named === 'string') fields.push({ name: named, errors: [problemMessage(problem, t)] });
  const placed = fields.filter((f) => known.has(f.name));
  form.setFields(placed);
  return placed.length > 0;
}

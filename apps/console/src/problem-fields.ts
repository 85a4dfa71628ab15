import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiProblem } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';

/** `offers[0].items[1].quantity` → ['offers', 0, 'items', 1, 'quantity']: the antd Form name of a body field. */
export function fieldPath(pointer: string): (string | number)[] {
  return pointer
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The body fields an api answer blames: a validation failure's `errors[].field` (with the api's own
 * messages) or a rule's `field` (with the code's message), each as a Form name and its messages.
 */
export function problemFields(problem: ApiProblem, t: TFunction): { name: (string | number)[]; errors: string[] }[] {
  const message = problemMessage(problem, t);
  const fields = problem.fields.map(({ field, messages }) => ({
    name: fieldPath(field),
    errors: [message, ...messages],
  }));
  const body = problem.body as { field?: unknown } | undefined;
  if (typeof body?.field === 'string') fields.push({ name: fieldPath(body.field), errors: [message] });
  return fields;
}

/**
 * Shows an api refusal at the fields of `form` it names; returns the message of what no field of the form
 * shows (the caller puts it above the form), or undefined when every blamed field showed it.
 */
export function showProblem(form: FormInstance, error: unknown, t: TFunction): string | undefined {
  const problem = ApiProblem.from(error);
  const registered = new Set(form.getFieldsError().map(({ name }) => JSON.stringify(name)));
  const placed = problemFields(problem, t).filter(({ name }) => registered.has(JSON.stringify(name)));
  if (placed.length === 0) return problemMessage(problem, t);
  form.setFields(placed);
  void form.scrollToField(placed[0].name);
  return undefined;
}

import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '@quan/web-api';
import { problemMessage } from '@quan/web-core';

/** A failed read or write in the console: the shared plain message for its code, announced as an alert. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Alert type="error" showIcon role="alert" title={problemMessage(ApiProblem.from(error), t)} />;
}

import { Alert, Button, DatePicker, Form, Space, type DatePickerProps, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showProblem } from '../../problem-fields';

/** The date-time format of the editor's pickers (typed or picked), in the browser's time zone. */
export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** A date and time, typed or picked; a typed one counts when the field is left, with no OK to press. */
export function DateTimePicker(props: DatePickerProps) {
  return <DatePicker showTime format={DATE_TIME_FORMAT} needConfirm={false} {...props} />;
}

export const toIso = (value: Dayjs) => value.toISOString();
export const fromIso = (value: string | null | undefined) => (value ? dayjs(value) : undefined);
/** An optional number field: empty is null (no limit) for the api. */
export const orNull = (value: number | null | undefined) => (value === undefined || value === null ? null : value);

/**
 * Saving a form through the api: while it runs the button spins; a refusal is shown at the fields it
 * names (problem+json `errors[].field` or `field`), anything else above the buttons.
 */
export function useSave(form: FormInstance) {
  const { t } = useTranslation('campaigns');
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  async function run(save: () => Promise<void>): Promise<void> {
    setSaving(true);
    setProblem(undefined);
    try {
      await save();
    } catch (error) {
      setProblem(showProblem(form, error, t));
    } finally {
      setSaving(false);
    }
  }
  return { problem, saving, run };
}

/** A refusal no field shows, then the step's buttons. */
export function StepButtons({
  problem,
  saving,
  onBack,
  submitLabel,
  disabled,
}: {
  problem?: string;
  saving: boolean;
  onBack?: () => void;
  submitLabel?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation('campaigns');
  return (
    <>
      <div aria-live="polite">
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      </div>
      <Form.Item>
        <Space>
          {onBack && <Button onClick={onBack}>{t('editor.back')}</Button>}
          <Button type="primary" htmlType="submit" loading={saving} disabled={disabled}>
            {submitLabel ?? t('editor.saveNext')}
          </Button>
        </Space>
      </Form.Item>
    </>
  );
}

import type { ReactNode } from 'react';
import { Form, Input, type ButtonProps } from 'antd';
import { FormDialog } from './form-dialog';

export interface ConfirmActionProps {
  label: string;
  title?: string;
  /** What will happen, said before anything is sent. */
  description: ReactNode;
  /** Ask for a reason (required, up to 500 characters, the api's limit), labelled so. */
  reasonLabel?: string;
  confirmLabel?: string;
  danger?: boolean;
  type?: ButtonProps['type'];
  size?: ButtonProps['size'];
  onConfirm: (reason: string) => Promise<unknown>;
}

/** An action confirmed in a dialog, optionally with the reason it needs. */
export function ConfirmAction({ reasonLabel, onConfirm, ...dialog }: ConfirmActionProps) {
  return (
    <FormDialog<{ reason?: string }> {...dialog} onSubmit={(values) => onConfirm(values.reason?.trim() ?? '')}>
      {reasonLabel && (
        <Form.Item name="reason" label={reasonLabel} rules={[{ required: true, whitespace: true, max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      )}
    </FormDialog>
  );
}

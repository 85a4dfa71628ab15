import { useId, useState, type ReactNode } from 'react';
import { Button, Form, Modal, Space, type ButtonProps, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { showProblem } from '../../problem-fields';
import { ProblemAlert } from './problem';

export interface FormDialogProps<T> {
  /** The button's text, also the dialog's title unless `title` is given. */
  label: string;
  title?: string;
  /** Said above the fields: what will happen. */
  description?: ReactNode;
  /** The form's items (none for a plain confirmation). */
  children?: ReactNode;
  initialValues?: Partial<T>;
  confirmLabel?: string;
  danger?: boolean;
  type?: ButtonProps['type'];
  size?: ButtonProps['size'];
  /** Sends the change; the dialog closes when it resolves; a rejection is shown at its fields, else above the buttons. */
  onSubmit: (values: T) => Promise<unknown>;
  /** Renders the fields with the form, for items that depend on other values. */
  render?: (form: FormInstance<T>) => ReactNode;
}

/** A change made in two steps: the button opens a dialog saying what happens (with the fields it needs), then confirm sends it. */
export function FormDialog<T extends object>(props: FormDialogProps<T>) {
  const { label, title, description, children, initialValues, confirmLabel, danger, type, size, onSubmit, render } =
    props;
  const { t } = useTranslation('parts');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [form] = Form.useForm<T>();
  // A form name of its own, so its fields' ids (name_field) never repeat those of the screen's filters.
  const name = `dialog${useId().replace(/[^a-zA-Z0-9]/g, '')}`;

  async function submit(values: T) {
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(values);
      setOpen(false);
    } catch (failure) {
      // At the fields it names; what no field shows goes above the buttons.
      if (showProblem(form, failure, t) !== undefined) setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  return (
    <>
      <Button danger={danger} type={type} size={size} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        open={open}
        title={title ?? label}
        onCancel={close}
        // Drawn only while open, from its initial values each time.
        destroyOnHidden
        footer={
          <Space>
            <Button onClick={close}>{t('confirm.cancel')}</Button>
            <Button type="primary" danger={danger} loading={busy} onClick={() => form.submit()}>
              {confirmLabel ?? t('confirm.ok')}
            </Button>
          </Space>
        }
      >
        <Form<T>
          form={form}
          name={name}
          layout="vertical"
          initialValues={initialValues}
          preserve={false}
          onFinish={(values) => void submit(values)}
        >
          {description && <div style={{ marginBottom: 16 }}>{description}</div>}
          {children}
          {render?.(form)}
          <ProblemAlert error={error} />
        </Form>
      </Modal>
    </>
  );
}

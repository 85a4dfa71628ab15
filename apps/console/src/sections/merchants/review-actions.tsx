import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { OPERATORS, useAllowed } from '../../access';
import { ConfirmAction } from '../parts/confirm-action';
import { useReview, type Merchant } from './queries';

/** The review actions the merchant's status allows, each confirmed in a dialog (reject and suspend ask why). */
export function ReviewActions({ merchant, size }: { merchant: Merchant; size?: 'small' }) {
  const { t } = useTranslation('merchants');
  const review = useReview();
  // Only operators review; auditors see the merchant without these.
  const reviewer = useAllowed(OPERATORS);
  if (!reviewer) return null;
  const name = merchant.name;
  const send = (action: 'approve' | 'reject' | 'suspend' | 'reinstate') => (reason: string) =>
    review.mutateAsync({ id: merchant.id, action, reason });
  return (
    <Space wrap>
      {merchant.status === 'pending' && (
        <>
          <ConfirmAction
            size={size}
            type="primary"
            label={t('actions.approve')}
            description={t('actions.approveWhat', { name })}
            onConfirm={send('approve')}
          />
          <ConfirmAction
            size={size}
            danger
            label={t('actions.reject')}
            description={t('actions.rejectWhat', { name })}
            reasonLabel={t('actions.reason')}
            onConfirm={send('reject')}
          />
        </>
      )}
      {merchant.status === 'approved' && (
        <ConfirmAction
          size={size}
          danger
          label={t('actions.suspend')}
          description={t('actions.suspendWhat', { name })}
          reasonLabel={t('actions.reason')}
          onConfirm={send('suspend')}
        />
      )}
      {merchant.status === 'suspended' && (
        <ConfirmAction
          size={size}
          type="primary"
          label={t('actions.reinstate')}
          description={t('actions.reinstateWhat', { name })}
          onConfirm={send('reinstate')}
        />
      )}
    </Space>
  );
}

import { maskAccountNo, maskPhone } from '@quan/domain';
import { Merchant } from '../entities/merchant.entity';
import { FieldCipher } from './field-cipher';

type BankAccountColumns = Pick<Merchant, 'bankAccountSealed' | 'bankAccountMasked'>;
type ContactPhoneColumns = Pick<Merchant, 'contactPhoneSealed' | 'contactPhoneMasked'>;

/** A merchant's bank account number as stored: sealed, and masked to show. */
export function bankAccountColumns(cipher: FieldCipher, accountNo: string): BankAccountColumns {
  return {
    bankAccountSealed: cipher.seal('merchants.bank_account', accountNo),
    bankAccountMasked: maskAccountNo(accountNo),
  };
}

/** A merchant's contact phone (normalised digits) as stored: sealed, and masked to show. */
export function contactPhoneColumns(cipher: FieldCipher, phone: string | null): ContactPhoneColumns {
  return phone === null
    ? { contactPhoneSealed: null, contactPhoneMasked: null }
    : { contactPhoneSealed: cipher.seal('merchants.contact_phone', phone), contactPhoneMasked: maskPhone(phone) };
}

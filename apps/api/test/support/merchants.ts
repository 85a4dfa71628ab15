import { demoLicenceNo } from '@quan/demo';
import { Api } from './api';

let serial = 800000;

/** The fields of a merchant application in a county, with a fresh valid licence number. */
export function merchantFields(countyCode = 'hanbin') {
  serial += 1;
  return {
    name: `测试商户${serial}`,
    licenceNo: demoLicenceNo('610902', serial),
    categoryCode: 'catering',
    countyCode,
    address: '测试路1号',
    bankName: '安康农村商业银行',
    bankAccountName: '测试商户',
    bankAccountNo: '6217000012345678',
  };
}

export interface AppliedMerchant {
  id: string;
  adminUsername: string;
  adminPassword: string;
}

/** A merchant that has applied (pending review), with its admin's credentials. */
export async function applyMerchant(api: Api, countyCode = 'hanbin'): Promise<AppliedMerchant> {
  const merchant = merchantFields(countyCode);
  const admin = {
    username: `m-${merchant.licenceNo.slice(-8).toLowerCase()}`,
    displayName: '店长',
    password: 'merchant-password',
  };
  const reply = await api.call('POST', '/merchants/applications', { body: { merchant, admin } });
  if (reply.status !== 201) throw new Error(`application: ${reply.status} ${JSON.stringify(reply.body)}`);
  return {
    id: (reply.body.merchant as { id: string }).id,
    adminUsername: admin.username,
    adminPassword: admin.password,
  };
}

/** Applies and has `reviewer` approve it. */
export async function approvedMerchant(api: Api, reviewer: string, countyCode = 'hanbin'): Promise<AppliedMerchant> {
  const merchant = await applyMerchant(api, countyCode);
  await api.call('POST', `/merchants/${merchant.id}/approve`, { token: reviewer });
  return merchant;
}

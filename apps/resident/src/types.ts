import type { components } from '@quan/web-api';

/** The api's shapes the resident app reads, named once (generated from the OpenAPI document). */
type Schemas = components['schemas'];
export type Round = Schemas['OpenRoundDto'];
export type Offer = Schemas['OpenOfferDto'];
export type OfferVoucher = Schemas['OfferVoucherDto'];
/** The rule every voucher and offer item carries (DiscountRuleDto, inlined by the document into each). */
export type DiscountRule = Pick<
  Schemas['OfferVoucherDto'],
  'kind' | 'thresholdFen' | 'discountFen' | 'percentOff' | 'capFen' | 'categories' | 'validity'
>;
export type Voucher = Schemas['VoucherDto'];
export type VoucherDetail = Schemas['VoucherDetailDto'];
export type VoucherEvent = Schemas['VoucherEventDto'];
export type QrToken = Schemas['QrTokenDto'];
export type Me = Schemas['MeDto'];
export type RegistrationReceipt = Schemas['RegistrationReceiptDto'];
export type TokenPair = Schemas['TokenPairDto'];
export type MerchantListing = Schemas['MerchantListingDto'];
export type MerchantPage = Schemas['MerchantDirectoryPageDto'];
export type County = Schemas['CountyDto'];
export type Category = Schemas['CategoryDto'];

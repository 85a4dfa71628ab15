import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { VoucherTokens } from '@quan/auth';
import { assertVoucherRedeemable, DomainError, ErrorCode, VoucherStatus } from '@quan/domain';
import { QrTokenDto } from './redemptions.dto';

/** The QR codes residents show at the till: a short-lived signed token per voucher (VoucherTokens signs it). */
@Injectable()
export class QrTokens {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: VoucherTokens,
  ) {}

  /** A fresh QR token for one of the resident's own vouchers that can be redeemed now, and its QR code as SVG. */
  async qrToken(residentId: string, voucherId: string): Promise<QrTokenDto> {
    const [voucher] = (await this.dataSource.query(
      `SELECT status, valid_from, valid_until FROM vouchers WHERE id = $1 AND resident_id = $2`,
      [voucherId, residentId],
    )) as { status: VoucherStatus; valid_from: Date; valid_until: Date }[];
    if (!voucher) throw new DomainError(ErrorCode.VoucherNotFound, `You have no voucher ${voucherId}`);
    assertVoucherRedeemable(
      { status: voucher.status, validFrom: voucher.valid_from, validUntil: voucher.valid_until },
      new Date(),
    );
    const { token, expiresAt } = this.tokens.issue(voucherId, residentId);
    const svg = await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { token, expiresAt: expiresAt.toISOString(), svg };
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { MerchantStatus, StaffAccount, StaffRole } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import {
  changeStaffAccount,
  createStaffAccount,
  NewStaffCredentialsDto,
  StaffAccountChangesDto,
  StaffAccountDto,
} from '@quan/staff-accounts';
import { MerchantsService } from './merchants.service';

/** A merchant's staff: its admin manages its cashiers; operators and auditors may look. */
@Injectable()
export class MerchantStaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly merchants: MerchantsService,
  ) {}

  async list(principal: StaffPrincipal, merchantId: string): Promise<StaffAccountDto[]> {
    const merchant = await this.merchants.find(this.dataSource.manager, principal, merchantId);
    const accounts = await this.dataSource
      .getRepository(StaffAccount)
      .find({ where: { merchantId: merchant.id }, order: { role: 'ASC', username: 'ASC' } });
    return accounts.map(StaffAccountDto.from);
  }

  createCashier(principal: StaffPrincipal, merchantId: string, dto: NewStaffCredentialsDto): Promise<StaffAccountDto> {
    return this.dataSource.transaction(async (manager) => {
      const merchant = await this.merchants.find(manager, principal, merchantId, true);
      if (merchant.status !== MerchantStatus.Approved) {
        throw new DomainError(ErrorCode.MerchantNotApproved, `A ${merchant.status} merchant cannot add cashiers`, {
          merchantStatus: merchant.status,
        });
      }
      return createStaffAccount(manager, principal, { ...dto, role: StaffRole.Cashier, countyCode: null, merchantId });
    });
  }

  async getCashier(principal: StaffPrincipal, merchantId: string, accountId: string): Promise<StaffAccountDto> {
    return StaffAccountDto.from(
      await this.findCashier(this.dataSource.manager, principal, merchantId, accountId, false),
    );
  }

  updateCashier(
    principal: StaffPrincipal,
    merchantId: string,
    accountId: string,
    changes: StaffAccountChangesDto,
  ): Promise<StaffAccountDto> {
    return this.dataSource.transaction(async (manager) => {
      const cashier = await this.findCashier(manager, principal, merchantId, accountId, true);
      return changeStaffAccount(manager, principal, cashier, changes);
    });
  }

  /** A cashier of a merchant the caller may see; a cashier of another merchant is 404 as if it did not exist. */
  private async findCashier(
    manager: EntityManager,
    principal: StaffPrincipal,
    merchantId: string,
    accountId: string,
    lock: boolean,
  ): Promise<StaffAccount> {
    await this.merchants.find(manager, principal, merchantId);
    const cashier = await manager.findOne(StaffAccount, {
      where: { id: accountId, merchantId, role: StaffRole.Cashier },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!cashier)
      throw new DomainError(ErrorCode.StaffAccountNotFound, `Merchant ${merchantId} has no cashier ${accountId}`);
    return cashier;
  }
}

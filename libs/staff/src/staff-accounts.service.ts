import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { COUNTY_BOUND_ROLES, StaffPrincipal } from '@quan/auth';
import { County, Merchant, StaffAccount, StaffRole } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { changeStaffAccount, createStaffAccount, StaffAccountChangesDto, StaffAccountDto } from '@quan/staff-accounts';
import { NewStaffAccountDto, StaffAccountPageDto, StaffAccountQueryDto } from './staff.dto';

const MERCHANT_ROLES = new Set([StaffRole.MerchantAdmin, StaffRole.Cashier]);

/**
 * Staff accounts of every role, managed by city admins; county admins create their county's community agents
 * (merchant admins manage their own cashiers elsewhere).
 */
@Injectable()
export class StaffAccountsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: StaffAccountQueryDto): Promise<StaffAccountPageDto> {
    const where: FindOptionsWhere<StaffAccount> = {};
    if (query.role) where.role = query.role;
    if (query.countyCode) where.countyCode = query.countyCode;
    if (query.merchantId) where.merchantId = query.merchantId;
    const [accounts, total] = await this.dataSource.getRepository(StaffAccount).findAndCount({
      where,
      order: { username: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: accounts.map(StaffAccountDto.from), total };
  }

  async get(id: string): Promise<StaffAccountDto> {
    const account = await this.dataSource.getRepository(StaffAccount).findOneBy({ id });
    if (!account) throw new DomainError(ErrorCode.StaffAccountNotFound, `No staff account ${id}`);
    return StaffAccountDto.from(account);
  }

  /**
   * A city admin creates an account of any role; a county admin only community agents of their own county
   * (403 FORBIDDEN otherwise).
   */
  create(principal: StaffPrincipal, dto: NewStaffAccountDto): Promise<StaffAccountDto> {
    if (
      principal.role === StaffRole.CountyAdmin &&
      (dto.role !== StaffRole.CommunityAgent || dto.countyCode !== principal.countyCode)
    ) {
      throw new DomainError(ErrorCode.Forbidden, 'A county admin creates only community agents of their own county');
    }
    return this.dataSource.transaction(async (manager) => {
      const countyCode = dto.countyCode ?? null;
      const merchantId = dto.merchantId ?? null;
      if (
        COUNTY_BOUND_ROLES.includes(dto.role) !== (countyCode !== null) ||
        MERCHANT_ROLES.has(dto.role) !== (merchantId !== null)
      ) {
        throw new DomainError(
          ErrorCode.RoleBindingInvalid,
          'A county_admin or community_agent names exactly one county, a merchant_admin or cashier one merchant, other roles neither',
          {
            field: COUNTY_BOUND_ROLES.includes(dto.role) ? 'countyCode' : 'merchantId',
          },
        );
      }
      if (countyCode !== null && !(await manager.existsBy(County, { code: countyCode }))) {
        throw new DomainError(ErrorCode.UnknownReference, `No county ${countyCode}`, { field: 'countyCode' });
      }
      if (merchantId !== null && !(await manager.existsBy(Merchant, { id: merchantId }))) {
        throw new DomainError(ErrorCode.UnknownReference, `No merchant ${merchantId}`, { field: 'merchantId' });
      }
      return createStaffAccount(manager, principal, { ...dto, countyCode, merchantId });
    });
  }

  update(principal: StaffPrincipal, id: string, changes: StaffAccountChangesDto): Promise<StaffAccountDto> {
    return this.dataSource.transaction(async (manager) => {
      const account = await manager.findOne(StaffAccount, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new DomainError(ErrorCode.StaffAccountNotFound, `No staff account ${id}`);
      return changeStaffAccount(manager, principal, account, changes);
    });
  }
}

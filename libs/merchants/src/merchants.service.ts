import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import {
  bankAccountColumns,
  Category,
  contactPhoneColumns,
  County,
  FieldCipher,
  isUniqueViolation,
  Merchant,
  MerchantStatus,
  StaffRole,
} from '@quan/data';
import {
  DomainError,
  ErrorCode,
  isValidLicenceNo,
  MerchantAction,
  merchantTransition,
  normalisePhone,
} from '@quan/domain';
import { recordAudit } from '@quan/platform';
import { insertStaffAccount, StaffAccountDto } from '@quan/staff-accounts';
import { merchantScope, nameContains } from './merchant-scope';
import {
  MerchantApplicationDto,
  MerchantApplicationResultDto,
  MerchantDto,
  MerchantFieldsDto,
  MerchantPageDto,
  MerchantQueryDto,
} from './merchants.dto';

const licenceTaken = (licenceNo: string) =>
  new DomainError(ErrorCode.AlreadyExists, `A merchant with licence ${licenceNo} is already registered`, {
    field: 'licenceNo',
  });

/** Enrolment, review, suspension and reinstatement of merchants, always within the caller's scope. */
@Injectable()
export class MerchantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** A merchant applies (no login yet): the merchant is pending review, its admin account can follow it. */
  apply(dto: MerchantApplicationDto): Promise<MerchantApplicationResultDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.checkFields(manager, dto.merchant);
      const fields = {
        ...this.columns(dto.merchant),
        aboveQuota: dto.merchant.aboveQuota ?? false,
        status: MerchantStatus.Pending,
      };
      const merchant = await this.saveMerchant(
        manager,
        manager.create(Merchant, { ...contactPhoneColumns(this.cipher, null), ...fields }),
      );
      const account = await insertStaffAccount(manager, {
        ...dto.admin,
        role: StaffRole.MerchantAdmin,
        countyCode: null,
        merchantId: merchant.id,
      });
      // The applicant has no account before this request: the new admin account is the actor.
      const applicant = { id: account.id, role: StaffRole.MerchantAdmin };
      const admin = StaffAccountDto.from(account);
      const result = { merchant: MerchantDto.from(merchant), admin };
      await recordAudit(
        manager,
        applicant,
        {
          action: 'merchant.apply',
          entityType: 'merchant',
          entityId: merchant.id,
          before: null,
          after: result.merchant,
        },
        { action: 'staff_account.create', entityType: 'staff_account', entityId: admin.id, before: null, after: admin },
      );
      return result;
    });
  }

  async list(principal: StaffPrincipal, query: MerchantQueryDto): Promise<MerchantPageDto> {
    const where: FindOptionsWhere<Merchant> = {};
    if (query.status) where.status = query.status;
    if (query.countyCode) where.countyCode = query.countyCode;
    if (query.categoryCode) where.categoryCode = query.categoryCode;
    if (query.aboveQuota !== undefined) where.aboveQuota = query.aboveQuota;
    if (query.name) where.name = nameContains(query.name);
    const [merchants, total] = await this.dataSource.getRepository(Merchant).findAndCount({
      where: merchantScope(principal, where),
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: merchants.map((m) => MerchantDto.from(m)), total };
  }

  async get(principal: StaffPrincipal, id: string): Promise<MerchantDto> {
    return MerchantDto.from(await this.find(this.dataSource.manager, principal, id));
  }

  /** The merchant admin corrects a pending or rejected application; it goes back to review. */
  resubmit(principal: StaffPrincipal, id: string, fields: MerchantFieldsDto): Promise<MerchantDto> {
    return this.change(principal, id, MerchantAction.Resubmit, null, async (manager, merchant) => {
      await this.checkFields(manager, fields);
      Object.assign(merchant, this.columns(fields), { aboveQuota: fields.aboveQuota ?? merchant.aboveQuota });
    });
  }

  review(
    principal: StaffPrincipal,
    id: string,
    action: MerchantAction,
    reason: string | null = null,
  ): Promise<MerchantDto> {
    return this.change(principal, id, action, reason);
  }

  /** Loads a merchant the caller can see, or 404. */
  async find(manager: EntityManager, principal: StaffPrincipal, id: string, lock = false): Promise<Merchant> {
    const merchant = await manager.findOne(Merchant, {
      where: merchantScope(principal, { id }),
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!merchant) throw new DomainError(ErrorCode.MerchantNotFound, `No merchant ${id}`);
    return merchant;
  }

  private change(
    principal: StaffPrincipal,
    id: string,
    action: MerchantAction,
    reason: string | null,
    edit?: (manager: EntityManager, merchant: Merchant) => Promise<void>,
  ): Promise<MerchantDto> {
    return this.dataSource.transaction(async (manager) => {
      const merchant = await this.find(manager, principal, id, true);
      const before = MerchantDto.from(merchant);
      merchant.status = merchantTransition(merchant.status, action);
      merchant.statusReason = reason;
      await edit?.(manager, merchant);
      const saved = await this.saveMerchant(manager, merchant);
      const after = MerchantDto.from(saved);
      await recordAudit(manager, principal, {
        action: `merchant.${action}`,
        entityType: 'merchant',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** The stated fields as columns: the account number and contact phone sealed (a phone left out is kept). */
  private columns({ bankAccountNo, contactPhone, ...plain }: MerchantFieldsDto): Partial<Merchant> {
    const phone = contactPhone === undefined ? undefined : (normalisePhone(contactPhone) ?? null);
    return {
      ...plain,
      ...bankAccountColumns(this.cipher, bankAccountNo),
      ...(phone === undefined ? {} : contactPhoneColumns(this.cipher, phone)),
    };
  }

  private async checkFields(manager: EntityManager, fields: MerchantFieldsDto): Promise<void> {
    if (!isValidLicenceNo(fields.licenceNo)) {
      throw new DomainError(
        ErrorCode.InvalidLicenceNo,
        `${fields.licenceNo} is not a valid 统一社会信用代码 (its check character does not match)`,
        { field: 'licenceNo' },
      );
    }
    if (!(await manager.existsBy(Category, { code: fields.categoryCode }))) {
      throw new DomainError(ErrorCode.UnknownReference, `No category ${fields.categoryCode}`, {
        field: 'categoryCode',
      });
    }
    if (!(await manager.existsBy(County, { code: fields.countyCode }))) {
      throw new DomainError(ErrorCode.UnknownReference, `No county ${fields.countyCode}`, { field: 'countyCode' });
    }
  }

  private async saveMerchant(manager: EntityManager, merchant: Merchant): Promise<Merchant> {
    const other = await manager.findOneBy(Merchant, { licenceNo: merchant.licenceNo });
    if (other && other.id !== merchant.id) throw licenceTaken(merchant.licenceNo);
    try {
      return await manager.save(merchant);
    } catch (error) {
      if (isUniqueViolation(error)) throw licenceTaken(merchant.licenceNo);
      throw error;
    }
  }
}

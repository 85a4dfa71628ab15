import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { Merchant, MerchantStatus } from '@quan/data';
import { nameContains } from './merchant-scope';
import { MerchantDirectoryPageDto, MerchantDirectoryQueryDto, MerchantListingDto } from './merchants.dto';

/**
 * The residents' directory of where to spend: approved merchants only (a suspended, pending or rejected
 * one is not listed), by name, showing nothing of their licence, bank account or staff.
 */
@Injectable()
export class MerchantDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: MerchantDirectoryQueryDto): Promise<MerchantDirectoryPageDto> {
    const where: FindOptionsWhere<Merchant> = { status: MerchantStatus.Approved };
    if (query.countyCode) where.countyCode = query.countyCode;
    if (query.categoryCode) where.categoryCode = query.categoryCode;
    if (query.name) where.name = nameContains(query.name);
    const [merchants, total] = await this.dataSource.getRepository(Merchant).findAndCount({
      where,
      relations: { county: true, category: true },
      order: { name: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: merchants.map(MerchantListingDto.from), total, limit: query.limit, offset: query.offset };
  }
}

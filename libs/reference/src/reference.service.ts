import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Category, County } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';

/** Counties and merchant categories of the city: the vocabulary campaigns and merchants refer to. */
@Injectable()
export class ReferenceService {
  constructor(
    @InjectRepository(County) private readonly counties: Repository<County>,
    @InjectRepository(Category) private readonly categories: Repository<Category>,
  ) {}

  listCounties(): Promise<County[]> {
    return this.counties.find({ order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  async getCounty(code: string): Promise<County> {
    const county = await this.counties.findOneBy({ code });
    if (!county) throw new DomainError(ErrorCode.CountyNotFound, `No county with code ${code}`);
    return county;
  }

  listCategories(): Promise<Category[]> {
    return this.categories.find({ order: { sortOrder: 'ASC', code: 'ASC' } });
  }
}

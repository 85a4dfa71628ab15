import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, Repository } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { Category, County, isUniqueViolation } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { recordAudit } from '@quan/platform';
import {
  CategoryChangesDto,
  CategoryDto,
  CountyChangesDto,
  CountyDto,
  NewCategoryDto,
  NewCountyDto,
} from './reference.dto';

type Reference = County | Category;

/** Counties and merchant categories of the city: the vocabulary campaigns and merchants refer to. */
@Injectable()
export class ReferenceService {
  constructor(
    private readonly dataSource: DataSource,
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

  async getCategory(code: string): Promise<Category> {
    const category = await this.categories.findOneBy({ code });
    if (!category) throw new DomainError(ErrorCode.CategoryNotFound, `No category with code ${code}`);
    return category;
  }

  async createCounty(principal: StaffPrincipal, dto: NewCountyDto): Promise<CountyDto> {
    return CountyDto.from(
      await this.write(
        principal,
        County,
        'county',
        dto.code,
        ErrorCode.CountyNotFound,
        (row) => Object.assign(row ?? new County(), dto),
        true,
      ),
    );
  }

  async updateCounty(principal: StaffPrincipal, code: string, dto: CountyChangesDto): Promise<CountyDto> {
    return CountyDto.from(
      await this.write(
        principal,
        County,
        'county',
        code,
        ErrorCode.CountyNotFound,
        (row) => Object.assign(row!, dto),
        false,
      ),
    );
  }

  async createCategory(principal: StaffPrincipal, dto: NewCategoryDto): Promise<CategoryDto> {
    return CategoryDto.from(
      await this.write(
        principal,
        Category,
        'category',
        dto.code,
        ErrorCode.CategoryNotFound,
        (row) => Object.assign(row ?? new Category(), dto),
        true,
      ),
    );
  }

  async updateCategory(principal: StaffPrincipal, code: string, dto: CategoryChangesDto): Promise<CategoryDto> {
    return CategoryDto.from(
      await this.write(
        principal,
        Category,
        'category',
        code,
        ErrorCode.CategoryNotFound,
        (row) => Object.assign(row!, dto),
        false,
      ),
    );
  }

  /** Creates (when `creating`) or changes one row by its code, with its audit entry; codes and names are unique. */
  private write<T extends Reference>(
    principal: StaffPrincipal,
    entity: EntityTarget<T>,
    entityType: string,
    code: string,
    notFound: ErrorCode,
    apply: (row: T | null) => T,
    creating: boolean,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const existing = await manager.findOne(entity, { where: { code } as never, lock: { mode: 'pessimistic_write' } });
      if (creating && existing)
        throw new DomainError(ErrorCode.AlreadyExists, `The code ${code} is taken`, { field: 'code' });
      if (!creating && !existing) throw new DomainError(notFound, `No ${entityType} with code ${code}`);
      const before = existing ? { ...existing } : null;
      const row = apply(existing);
      try {
        await manager.save(entity, row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError(ErrorCode.AlreadyExists, `The name ${row.name} is taken`, { field: 'name' });
        throw error;
      }
      await recordAudit(manager, principal, {
        action: `${entityType}.${creating ? 'create' : 'update'}`,
        entityType,
        entityId: code,
        before,
        after: { ...row },
      });
      return row;
    });
  }
}

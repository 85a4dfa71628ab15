import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@quan/data';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './audit.dto';

/** Reads the audit log, newest first, a page at a time. */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: AuditQueryDto): Promise<AuditPageDto> {
    const builder = this.dataSource.getRepository(AuditLog).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(query.limit).offset(query.offset);
    if (query.entityType) builder.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) builder.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) builder.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.action?.endsWith('.')) builder.andWhere('starts_with(a.action, :action)', { action: query.action });
    else if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.from) builder.andWhere('a.at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('a.at < :to', { to: new Date(query.to) });
    const [entries, total] = await builder.getManyAndCount();
    return { items: entries.map(AuditEntryDto.from), total };
  }
}

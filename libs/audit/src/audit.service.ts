import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog, StaffAccount } from '@quan/data';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './audit.dto';

/**
 * Reads the audit log, newest first, a page at a time (keyset on the entry id). The actor's username is
 * joined at read time: usernames never change and accounts are never deleted, and the role is the one
 * stored with the entry (the role at the time, which a later change of the account does not rewrite).
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: AuditQueryDto): Promise<AuditPageDto> {
    const builder = this.dataSource.getRepository(AuditLog).createQueryBuilder('a')
      .leftJoin(StaffAccount, 's', 's.id = a.actor_id').addSelect('s.username', 'actor_username')
      .orderBy('a.id', 'DESC').limit(query.limit + 1);
    if (query.entityType) builder.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) builder.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) builder.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.action?.endsWith('.')) builder.andWhere('starts_with(a.action, :action)', { action: query.action });
    else if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.from) builder.andWhere('a.at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('a.at < :to', { to: new Date(query.to) });
    if (query.before) builder.andWhere('a.id < :before', { before: query.before });
    const { entities, raw } = await builder.getRawAndEntities<{ actor_username: string | null }>();
    const page = entities.slice(0, query.limit);
    return {
      items: page.map((entry, index) => AuditEntryDto.from(entry, raw[index].actor_username)),
      nextCursor: entities.length > query.limit ? page[page.length - 1].id : null,
    };
  }
}

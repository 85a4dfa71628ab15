import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { AuditLog } from '@quan/data';
import { IsIsoDateTime, PageQueryDto } from '@quan/platform';

export class AuditEntryDto {
  @ApiProperty({ example: '1042', description: 'Increases with every entry' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The staff account; null for the system (campaign clock)' })
  actorId!: string | null;

  @ApiProperty({ example: 'city_admin', description: 'A staff role, or system' })
  actorRole!: string;

  @ApiProperty({ example: 'campaign.approve' })
  action!: string;

  @ApiProperty({ example: 'campaign', description: 'campaign, merchant, staff_account, county or category' })
  entityType!: string;

  @ApiProperty()
  entityId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The thing as the API showed it before the change; null when created' })
  before!: object | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The thing after the change' })
  after!: object | null;

  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that made the change' })
  requestId!: string | null;

  static from(entry: AuditLog): AuditEntryDto {
    return {
      id: entry.id,
      at: entry.at.toISOString(),
      actorId: entry.actorId,
      actorRole: entry.actorRole,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before,
      after: entry.after,
      requestId: entry.requestId,
    };
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' })
  items!: AuditEntryDto[];

  @ApiProperty({ description: 'Entries matching the filters' })
  total!: number;
}

/** Filters, and `limit` and `offset` as on every list. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'campaign' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'campaign.approve', description: 'An action, or a prefix ending in "." (campaign.)' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,60}$/, { message: 'action is lower-case words separated by "."' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this instant' })
  @IsOptional()
  @IsIsoDateTime()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this instant' })
  @IsOptional()
  @IsIsoDateTime()
  to?: string;

}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { EntityManager, IsNull } from 'typeorm';
import { isUniqueViolation, RefreshToken, StaffAccount, StaffRole, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { ApiDateTime, AuditActor, hashPassword, IsOmittable, recordAudit } from '@quan/platform';

/** A staff account as the API shows it (never its password hash). */
export class StaffAccountDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'hanbin-admin' })
  username!: string;

  @ApiProperty({ example: '汉滨区商务局 管理员' })
  displayName!: string;

  @ApiProperty({ enum: StaffRole, enumName: 'StaffRole' })
  role!: StaffRole;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'county_admin: the county they operate',
    example: 'hanbin',
  })
  countyCode!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'merchant_admin and cashier: their merchant',
  })
  merchantId!: string | null;

  @ApiProperty()
  disabled!: boolean;

  @ApiDateTime({ example: '2026-03-02T09:00:00+08:00' })
  createdAt!: string;

  static from(account: StaffAccount): StaffAccountDto {
    return {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      countyCode: account.countyCode,
      merchantId: account.merchantId,
      disabled: account.disabled,
      createdAt: account.createdAt.toISOString(),
    };
  }
}

export const PASSWORD_MIN_LENGTH = 10;

/** Username, name and initial password of a new account. */
export class NewStaffCredentialsDto {
  @ApiProperty({ example: 'm001-cashier2', description: '3–32 characters: a-z, 0-9, ".", "_" or "-"' })
  @Matches(/^[a-z0-9][a-z0-9._-]{2,31}$/, { message: 'username must be 3-32 characters of a-z, 0-9, ".", "_" or "-"' })
  username!: string;

  @ApiProperty({ example: '收银员 小王' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: 128 })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(128)
  password!: string;
}

/** Changes an operator (or a merchant admin, for its cashiers) may make to an account. */
export class StaffAccountChangesDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ description: 'A disabled account cannot log in; its sessions end' })
  @IsOmittable()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: 128,
    description: "Sets a new password; the account's sessions end",
  })
  @IsOmittable()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(128)
  password?: string;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  password: string;
  role: StaffRole;
  countyCode: string | null;
  merchantId: string | null;
}

/** Inserts an account with its password hashed (argon2id); a taken username is 409 ALREADY_EXISTS. */
export async function insertStaffAccount(manager: EntityManager, input: NewStaffAccount): Promise<StaffAccount> {
  if (await manager.existsBy(StaffAccount, { username: input.username })) {
    throw new DomainError(ErrorCode.AlreadyExists, `The username ${input.username} is taken`, { field: 'username' });
  }
  const { password, ...fields } = input;
  const account = manager.create(StaffAccount, { ...fields, passwordHash: await hashPassword(password) });
  try {
    return await manager.save(account);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError(ErrorCode.AlreadyExists, `The username ${input.username} is taken`, { field: 'username' });
    throw error;
  }
}

/** Ends every session of an account: its refresh tokens are revoked (access tokens lapse within their TTL). */
export async function revokeStaffSessions(manager: EntityManager, accountId: string): Promise<void> {
  await manager.update(
    RefreshToken,
    { subjectKind: SubjectKind.Staff, subjectId: accountId, revokedAt: IsNull() },
    { revokedAt: new Date() },
  );
}

/**
 * Applies StaffAccountChangesDto to an account (loaded for update) and saves it with its audit entry;
 * disabling it or setting a new password ends its sessions.
 */
export async function changeStaffAccount(
  manager: EntityManager,
  actor: AuditActor,
  account: StaffAccount,
  changes: StaffAccountChangesDto,
): Promise<StaffAccountDto> {
  const before = StaffAccountDto.from(account);
  if (changes.displayName !== undefined) account.displayName = changes.displayName;
  if (changes.disabled !== undefined) account.disabled = changes.disabled;
  if (changes.password !== undefined) account.passwordHash = await hashPassword(changes.password);
  const after = StaffAccountDto.from(await manager.save(account));
  if (changes.disabled || changes.password !== undefined) await revokeStaffSessions(manager, account.id);
  await recordAudit(manager, actor, {
    action: 'staff_account.update',
    entityType: 'staff_account',
    entityId: account.id,
    before,
    after: { ...after, passwordReset: changes.password !== undefined },
  });
  return after;
}

/** Inserts an account (see insertStaffAccount) with its audit entry. */
export async function createStaffAccount(
  manager: EntityManager,
  actor: AuditActor,
  input: NewStaffAccount,
): Promise<StaffAccountDto> {
  const account = StaffAccountDto.from(await insertStaffAccount(manager, input));
  await recordAudit(manager, actor, {
    action: 'staff_account.create',
    entityType: 'staff_account',
    entityId: account.id,
    before: null,
    after: account,
  });
  return account;
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StaffAccount } from '@quan/data';
import { LoginThrottle } from './login-throttle';
import { StaffAccountsController } from './staff-accounts.controller';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffAuthController } from './staff-auth.controller';
import { StaffAuthService } from './staff-auth.service';

/** Staff sign-in (login, refresh, logout) and the accounts of bureau and merchant staff. */
@Module({
  imports: [TypeOrmModule.forFeature([StaffAccount])],
  controllers: [StaffAuthController, StaffAccountsController],
  providers: [StaffAuthService, StaffAccountsService, LoginThrottle],
})
export class StaffModule {}

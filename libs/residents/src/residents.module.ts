import { Module } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { AccountWriter } from './account-writer';
import { AssistedResidentsController } from './assisted-residents.controller';
import { AssistedResidentsService } from './assisted-residents.service';
import { IDENTITY_VERIFIER, identityVerifierFor } from './identity-verifier';
import { LoggingSmsSender, SMS_SENDER, UnconfiguredSmsSender } from './sms-sender';
import { ResidentsController } from './residents.controller';
import { ResidentsService } from './residents.service';

@Module({
  controllers: [ResidentsController, AssistedResidentsController],
  providers: [
    ResidentsService,
    AssistedResidentsService,
    AccountWriter,
    {
      provide: SMS_SENDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.NODE_ENV === 'production' ? new UnconfiguredSmsSender() : new LoggingSmsSender(),
    },
    { provide: IDENTITY_VERIFIER, inject: [AppConfig], useFactory: identityVerifierFor },
  ],
})
export class ResidentsModule {}

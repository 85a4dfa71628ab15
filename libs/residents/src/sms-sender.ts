import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode, maskPhone } from '@quan/domain';

/** Sends one-time login codes. A deployment plugs in its SMS gateway by providing SMS_SENDER. */
export interface SmsSender {
  sendLoginCode(phone: string, code: string): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

/** Development: the code goes to the log (phone masked), so a developer can log in without a gateway. */
export class LoggingSmsSender implements SmsSender {
  private readonly logger = new Logger('Sms');

  async sendLoginCode(phone: string, code: string): Promise<void> {
    this.logger.log({ phone: maskPhone(phone), loginCode: code }, 'login code (development sender)');
  }
}

/** Production without a gateway configured: asking for a code is answered 503 rather than silently dropped. */
export class UnconfiguredSmsSender implements SmsSender {
  async sendLoginCode(): Promise<void> {
    throw new DomainError(ErrorCode.Unavailable, 'SMS delivery is not configured');
  }
}

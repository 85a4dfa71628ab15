import { Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { StaffAccess } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { QueueView } from './queue-view';

@ApiTags('admin')
@Controller('admin/queue-view')
export class QueueViewController {
  constructor(private readonly view: QueueView) {}

  @Post('session')
  @HttpCode(204)
  @StaffAccess([StaffRole.CityAdmin])
  @ApiOperation({
    summary:
      'Sets the HttpOnly cookie (quan_queue_view, path /admin/queues) that opens the queue view at /admin/queues in this browser, for as long as the access token',
  })
  @ApiNoContentResponse({ description: 'The cookie is set' })
  openSession(@Headers('authorization') authorization: string, @Res({ passthrough: true }) reply: FastifyReply): void {
    this.view.openSession(authorization, reply);
  }
}

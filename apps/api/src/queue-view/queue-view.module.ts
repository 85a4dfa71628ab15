import { Module } from '@nestjs/common';
import { QueueViewController } from './queue-view.controller';
import { QueueView } from './queue-view';

/** The queue view (bull-board) at /admin/queues, for city admins. */
@Module({ controllers: [QueueViewController], providers: [QueueView] })
export class QueueViewModule {}

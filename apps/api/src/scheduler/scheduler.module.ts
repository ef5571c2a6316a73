import { Global, Module } from '@nestjs/common';
import { ScheduledJobsRepository } from './scheduled-jobs.repository';
import { SchedulerService } from './scheduler.service';

/** The one scheduler (see SchedulerService); global so that any feature can register a job. */
@Global()
@Module({
  providers: [SchedulerService, ScheduledJobsRepository],
  exports: [SchedulerService],
})
export class SchedulerModule {}

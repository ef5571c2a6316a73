import { Injectable } from '@nestjs/common';

/** The source of "now": injectable so that expiry and debounce logic can be tested without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

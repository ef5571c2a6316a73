import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is shutting down (SIGTERM received, see main.ts). From that moment the
 * readiness check answers 503, so that load balancers and orchestrators send no new traffic, while
 * the server keeps serving until SHUTDOWN_GRACE has passed.
 */
@Injectable()
export class ShutdownState {
  private since: number | undefined;
  /** The grace period is over: the listener is closing and connections are not kept alive. */
  listenerClosing = false;

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }

  begin(): void {
    this.since ??= Date.now();
  }

  closeListener(): void {
    this.begin();
    this.listenerClosing = true;
  }
}

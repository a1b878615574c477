import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { RequestServer } from '@kailash/backbone';
import { AcquireLease, GetLease, ReleaseLease, RenewLease } from '@kailash/contracts';
import { LeasesService } from './leases.service';

/** The lease use cases over NATS: `<ns>.state.cmd.lease.acquire|renew|release`, `<ns>.state.qry.lease.get`. */
@Injectable()
export class LeasesHandlers implements OnModuleInit {
  constructor(
    private readonly requests: RequestServer,
    private readonly leases: LeasesService,
  ) {}

  onModuleInit(): void {
    this.requests.handle(AcquireLease, ({ resource, ...request }, envelope) => this.leases.acquire(resource, request, envelope.correlationId));
    this.requests.handle(RenewLease, ({ resource, ...request }, envelope) => this.leases.renew(resource, request, envelope.correlationId));
    this.requests.handle(ReleaseLease, ({ resource, ...request }, envelope) => this.leases.release(resource, request, envelope.correlationId));
    this.requests.handle(GetLease, ({ resource }) => this.leases.get(resource));
  }
}

import { DynamicModule, Global, Module } from '@nestjs/common';
import { ClientIpResolver } from './client-ip';
import { Clock } from './clock';

@Global()
@Module({})
export class CommonModule {
  static forRoot(clientIp: ClientIpResolver): DynamicModule {
    return {
      module: CommonModule,
      providers: [Clock, { provide: ClientIpResolver, useValue: clientIp }],
      exports: [Clock, ClientIpResolver],
    };
  }
}

import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Alert rules, continuous evaluation, events, notifications, silences and get_alerts. */
@Module({ controllers: [AlertsController], providers: [AlertsService] })
export class AlertsModule {}

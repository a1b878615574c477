import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  AlertRuleSpec,
  AlertRuleView,
  GetAlertsQuery,
  RequestData,
  SilenceSpec,
} from '@kailash/contracts';
import {
  alertRuleIdSchema,
  alertRuleSpecSchema,
  alertRuleViewSchema,
  CreateAlertRule,
  CreateSilence,
  DeleteAlertRule,
  DeleteSilence,
  GetAlertRule,
  GetAlerts,
  ListAlertRules,
  ListSilences,
  silenceSpecSchema,
  silenceViewSchema,
  UpdateAlertRule,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, Principal, QueryParameters, ZodPipe } from '@kailash/service-kit';
import { z } from 'zod';
import { ALERTS_PARAMETERS, alertsQueryPipe } from './alerts-query.pipe';
import { AlertsService } from './alerts.service';

const ruleId = Param('ruleId', new ZodPipe(alertRuleIdSchema, 'ruleId'));
const silenceId = Param('silenceId', new ZodPipe(z.uuid(), 'silenceId'));
const ruleBody = Body(new ZodPipe(alertRuleSpecSchema));

/**
 * Alert rules (`/alerts/rules`, set_threshold), silences (`/alerts/silences`) and get_alerts
 * (`GET /alerts`), and the same over NATS: `<ns>.monitor.cmd.alert.rule.{create,update,delete}`,
 * `.cmd.alert.silence.{create,delete}`, `.qry.alert.rule.{get,list}`, `.qry.alert.silence.list`,
 * `.qry.alert.list`. Changes need an API key; its name is recorded as the actor.
 */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post('rules')
  @HttpCode(201)
  @ApiOperation({ summary: 'set_threshold: create an alert rule' })
  @ApiBody({ schema: openApiSchema(alertRuleSpecSchema) })
  @ApiOkResponse({ schema: openApiSchema(alertRuleViewSchema) })
  create(@ruleBody spec: AlertRuleSpec, @Principal() actor: string): Promise<AlertRuleView> {
    return this.alerts.createRule(spec, actor);
  }

  @Get('rules')
  @ApiOperation({ summary: 'Every alert rule' })
  @ApiOkResponse({ schema: openApiSchema(ListAlertRules.result) })
  list() {
    return this.alerts.listRules();
  }

  @Get('rules/:ruleId')
  @ApiOperation({ summary: 'One alert rule' })
  @ApiOkResponse({ schema: openApiSchema(alertRuleViewSchema) })
  get(@ruleId id: string): Promise<AlertRuleView> {
    return this.alerts.getRule(id);
  }

  @Put('rules/:ruleId')
  @ApiOperation({ summary: 'Replace an alert rule; its alerts keep their state' })
  @ApiBody({ schema: openApiSchema(alertRuleSpecSchema) })
  @ApiOkResponse({ schema: openApiSchema(alertRuleViewSchema) })
  update(
    @ruleId id: string,
    @ruleBody spec: AlertRuleSpec,
    @Principal() actor: string,
  ): Promise<AlertRuleView> {
    return this.alerts.updateRule(id, spec, actor);
  }

  @Delete('rules/:ruleId')
  @ApiOperation({ summary: 'Delete an alert rule; its firing alerts resolve' })
  @ApiOkResponse({ schema: openApiSchema(DeleteAlertRule.result) })
  delete(@ruleId id: string, @Principal() actor: string) {
    return this.alerts.deleteRule(id, actor);
  }

  @Post('silences')
  @HttpCode(201)
  @ApiOperation({ summary: 'Silence the alerts whose labels equal all matchers, until endsAt' })
  @ApiBody({ schema: openApiSchema(silenceSpecSchema) })
  @ApiOkResponse({ schema: openApiSchema(silenceViewSchema) })
  silence(@Body(new ZodPipe(silenceSpecSchema)) spec: SilenceSpec, @Principal() actor: string) {
    return this.alerts.createSilence(spec, actor);
  }

  @Get('silences')
  @ApiOperation({ summary: 'The silences not yet expired' })
  @ApiOkResponse({ schema: openApiSchema(ListSilences.result) })
  silences() {
    return this.alerts.listSilences();
  }

  @Delete('silences/:silenceId')
  @ApiOperation({ summary: 'End a silence now' })
  @ApiOkResponse({ schema: openApiSchema(DeleteSilence.result) })
  unsilence(@silenceId id: string, @Principal() actor: string) {
    return this.alerts.deleteSilence(id, actor);
  }

  @Get()
  @ApiOperation({ summary: 'get_alerts: pending, firing and resolved alerts, filtered' })
  @ApiOkResponse({ schema: openApiSchema(GetAlerts.result) })
  @QueryParameters(ALERTS_PARAMETERS)
  find(@Query(alertsQueryPipe) query: GetAlertsQuery) {
    return this.alerts.alerts(query);
  }

  @NatsRequest(CreateAlertRule)
  createOverNats(@Payload() data: RequestData<typeof CreateAlertRule>, @Principal() actor: string) {
    return this.alerts.createRule(data, actor);
  }

  @NatsRequest(UpdateAlertRule)
  updateOverNats(@Payload() data: RequestData<typeof UpdateAlertRule>, @Principal() actor: string) {
    return this.alerts.updateRule(data.ruleId, data.spec, actor);
  }

  @NatsRequest(DeleteAlertRule)
  deleteOverNats(@Payload() data: RequestData<typeof DeleteAlertRule>, @Principal() actor: string) {
    return this.alerts.deleteRule(data.ruleId, actor);
  }

  @NatsRequest(GetAlertRule)
  getOverNats(@Payload() data: RequestData<typeof GetAlertRule>) {
    return this.alerts.getRule(data.ruleId);
  }

  @NatsRequest(ListAlertRules)
  listOverNats() {
    return this.alerts.listRules();
  }

  @NatsRequest(CreateSilence)
  silenceOverNats(@Payload() data: RequestData<typeof CreateSilence>, @Principal() actor: string) {
    return this.alerts.createSilence(data, actor);
  }

  @NatsRequest(DeleteSilence)
  unsilenceOverNats(@Payload() data: RequestData<typeof DeleteSilence>, @Principal() actor: string) {
    return this.alerts.deleteSilence(data.silenceId, actor);
  }

  @NatsRequest(ListSilences)
  silencesOverNats() {
    return this.alerts.listSilences();
  }

  @NatsRequest(GetAlerts)
  findOverNats(@Payload() data: RequestData<typeof GetAlerts>) {
    return this.alerts.alerts(data);
  }
}

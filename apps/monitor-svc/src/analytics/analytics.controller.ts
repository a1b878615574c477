import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  AnalysisRules,
  AnalysisSelection,
  AnalyticsRequest,
  AnalyticsResult,
  AnomalyList,
  AnomalyQuery,
  RequestData,
  TrendRequest,
  TrendResult,
} from '@kailash/contracts';
import {
  analysisRulesSchema,
  analysisSelectionSchema,
  analyticsRequestSchema,
  analyticsResultSchema,
  anomalyListSchema,
  anomalyQuerySchema,
  GetAnalytics,
  GetTrends,
  ListMonitors,
  QueryAnomalies,
  StartMonitor,
  StopMonitor,
  trendRequestSchema,
  trendResultSchema,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, Principal, ZodPipe } from '@kailash/service-kit';
import { AnalyticsService } from './analytics.service';

/**
 * Live analytics over REST and NATS (`<ns>.monitor.cmd.analysis.start|stop`,
 * `.qry.analysis.list`, `.qry.anomaly.query`, `.qry.trend.get`, `.qry.analytics.get`). Like the
 * series queries, the queries taking filters are POSTs.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Post('monitors/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'start_monitor: analyse these edges and metrics (omitted: all)' })
  @ApiBody({ schema: openApiSchema(analysisSelectionSchema) })
  @ApiOkResponse({ schema: openApiSchema(analysisRulesSchema) })
  start(
    @Body(new ZodPipe(analysisSelectionSchema)) body: AnalysisSelection,
    @Principal() actor: string,
  ): Promise<AnalysisRules> {
    return this.analytics.select(body, true, actor);
  }

  @Post('monitors/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'stop_monitor: stop analysing these edges and metrics (omitted: all)' })
  @ApiBody({ schema: openApiSchema(analysisSelectionSchema) })
  @ApiOkResponse({ schema: openApiSchema(analysisRulesSchema) })
  stop(
    @Body(new ZodPipe(analysisSelectionSchema)) body: AnalysisSelection,
    @Principal() actor: string,
  ): Promise<AnalysisRules> {
    return this.analytics.select(body, false, actor);
  }

  @Get('monitors')
  @ApiOperation({ summary: 'The stored selection rules and the metrics analysed by default' })
  @ApiOkResponse({ schema: openApiSchema(analysisRulesSchema) })
  rules(): Promise<AnalysisRules> {
    return this.analytics.rules();
  }

  @Post('anomalies/query')
  @HttpCode(200)
  @ApiOperation({ summary: 'Anomalies the live detector found, newest first, by edge, metric and time' })
  @ApiBody({ schema: openApiSchema(anomalyQuerySchema) })
  @ApiOkResponse({ schema: openApiSchema(anomalyListSchema) })
  anomalies(@Body(new ZodPipe(anomalyQuerySchema)) body: AnomalyQuery): Promise<AnomalyList> {
    return this.analytics.anomalies(body);
  }

  @Post('trends')
  @HttpCode(200)
  @ApiOperation({ summary: 'Moving averages, slope with CI, change points and a forecast per series' })
  @ApiBody({ schema: openApiSchema(trendRequestSchema) })
  @ApiOkResponse({ schema: openApiSchema(trendResultSchema) })
  trends(@Body(new ZodPipe(trendRequestSchema)) body: TrendRequest): Promise<TrendResult> {
    return this.analytics.trends(body);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'get_analytics: trends, anomalies and ranked recommendations for an edge or the fleet',
  })
  @ApiBody({ schema: openApiSchema(analyticsRequestSchema) })
  @ApiOkResponse({ schema: openApiSchema(analyticsResultSchema) })
  get(@Body(new ZodPipe(analyticsRequestSchema)) body: AnalyticsRequest): Promise<AnalyticsResult> {
    return this.analytics.analytics(body);
  }

  @NatsRequest(StartMonitor)
  startOverNats(
    @Payload() data: RequestData<typeof StartMonitor>,
    @Principal() actor: string,
  ): Promise<AnalysisRules> {
    return this.analytics.select(data, true, actor);
  }

  @NatsRequest(StopMonitor)
  stopOverNats(
    @Payload() data: RequestData<typeof StopMonitor>,
    @Principal() actor: string,
  ): Promise<AnalysisRules> {
    return this.analytics.select(data, false, actor);
  }

  @NatsRequest(ListMonitors)
  rulesOverNats(): Promise<AnalysisRules> {
    return this.analytics.rules();
  }

  @NatsRequest(QueryAnomalies)
  anomaliesOverNats(@Payload() data: RequestData<typeof QueryAnomalies>): Promise<AnomalyList> {
    return this.analytics.anomalies(data);
  }

  @NatsRequest(GetTrends)
  trendsOverNats(@Payload() data: RequestData<typeof GetTrends>): Promise<TrendResult> {
    return this.analytics.trends(data);
  }

  @NatsRequest(GetAnalytics)
  analyticsOverNats(@Payload() data: RequestData<typeof GetAnalytics>): Promise<AnalyticsResult> {
    return this.analytics.analytics(data);
  }
}

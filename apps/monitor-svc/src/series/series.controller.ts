import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  LatestMetricRequest,
  LatestMetricResult,
  MetricQuery,
  MetricQueryResult,
  MetricSummaryRequest,
  MetricSummaryResult,
  RecordMetricRequest,
  RequestData,
  TopKMetricRequest,
  TopKMetricResult,
} from '@kailash/contracts';
import {
  GetMetricSummary,
  LatestMetric,
  metricSummaryResultSchema,
  metricSummarySchema,
  topKMetricResultSchema,
  topKMetricSchema,
  TopKMetric,
  latestMetricResultSchema,
  latestMetricSchema,
  metricQueryResultSchema,
  metricQuerySchema,
  QueryMetrics,
  RecordMetric,
  recordMetricResultSchema,
  recordMetricSchema,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, ZodPipe } from '@kailash/service-kit';
import { SeriesService } from './series.service';

/**
 * Time series over REST and NATS (`<ns>.monitor.cmd.metric.record`, `.qry.metric.query`,
 * `.qry.metric.latest`, `.qry.metric.topk`, `.qry.metric.summary`), one SeriesService method each. The queries are POSTs because their
 * label filters are objects; like every route they need an API key.
 */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('series')
export class SeriesController {
  constructor(private readonly series: SeriesService) {}

  @Post('samples')
  @HttpCode(201)
  @ApiOperation({ summary: 'record_metric: store samples of any metric (well-known or custom)' })
  @ApiBody({ schema: openApiSchema(recordMetricSchema) })
  @ApiOkResponse({ schema: openApiSchema(recordMetricResultSchema) })
  record(@Body(new ZodPipe(recordMetricSchema)) body: RecordMetricRequest): Promise<{ accepted: number }> {
    return this.series.record(body);
  }

  @Post(['query', 'query_metrics'])
  @HttpCode(200)
  @ApiOperation({
    summary:
      'query_metrics: range query with step and aggregation, from raw samples or 1-minute/1-hour rollups',
  })
  @ApiBody({ schema: openApiSchema(metricQuerySchema) })
  @ApiOkResponse({ schema: openApiSchema(metricQueryResultSchema) })
  query(@Body(new ZodPipe(metricQuerySchema)) body: MetricQuery): Promise<MetricQueryResult> {
    return this.series.query(body);
  }

  @Post('latest')
  @HttpCode(200)
  @ApiOperation({ summary: "Each matching series' latest sample (latest value per edge)" })
  @ApiBody({ schema: openApiSchema(latestMetricSchema) })
  @ApiOkResponse({ schema: openApiSchema(latestMetricResultSchema) })
  latest(@Body(new ZodPipe(latestMetricSchema)) body: LatestMetricRequest): Promise<LatestMetricResult> {
    return this.series.latest(body);
  }

  @Post('topk')
  @HttpCode(200)
  @ApiOperation({ summary: 'The k edges with the highest (or lowest) value of a metric over a window' })
  @ApiBody({ schema: openApiSchema(topKMetricSchema) })
  @ApiOkResponse({ schema: openApiSchema(topKMetricResultSchema) })
  topK(@Body(new ZodPipe(topKMetricSchema)) body: TopKMetricRequest): Promise<TopKMetricResult> {
    return this.series.topK(body);
  }

  @Post(['summary', 'get_summary'])
  @HttpCode(200)
  @ApiOperation({ summary: 'get_summary: per metric, fleet-wide over a window' })
  @ApiBody({ schema: openApiSchema(metricSummarySchema) })
  @ApiOkResponse({ schema: openApiSchema(metricSummaryResultSchema) })
  summary(@Body(new ZodPipe(metricSummarySchema)) body: MetricSummaryRequest): Promise<MetricSummaryResult> {
    return this.series.summary(body);
  }

  @NatsRequest(RecordMetric)
  recordOverNats(@Payload() data: RequestData<typeof RecordMetric>): Promise<{ accepted: number }> {
    return this.series.record(data);
  }

  @NatsRequest(QueryMetrics)
  queryOverNats(@Payload() data: RequestData<typeof QueryMetrics>): Promise<MetricQueryResult> {
    return this.series.query(data);
  }

  @NatsRequest(LatestMetric)
  latestOverNats(@Payload() data: RequestData<typeof LatestMetric>): Promise<LatestMetricResult> {
    return this.series.latest(data);
  }

  @NatsRequest(TopKMetric)
  topKOverNats(@Payload() data: RequestData<typeof TopKMetric>): Promise<TopKMetricResult> {
    return this.series.topK(data);
  }

  @NatsRequest(GetMetricSummary)
  summaryOverNats(@Payload() data: RequestData<typeof GetMetricSummary>): Promise<MetricSummaryResult> {
    return this.series.summary(data);
  }
}

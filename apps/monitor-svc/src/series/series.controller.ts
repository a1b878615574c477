import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  LatestMetricRequest,
  LatestMetricResult,
  MetricQuery,
  MetricQueryResult,
  RecordMetricRequest,
  RequestData,
} from '@kailash/contracts';
import {
  LatestMetric,
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
 * `.qry.metric.latest`), one SeriesService method each. The queries are POSTs because their
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

  @Post('query')
  @HttpCode(200)
  @ApiOperation({ summary: 'Range query with step and aggregation, from raw samples or 1-minute rollups' })
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
}

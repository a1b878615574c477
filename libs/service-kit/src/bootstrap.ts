import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { ServiceConfig } from './config/service-config';
import { requestContextMiddleware } from './context/request-context.middleware';
import { NatsEnvelopeServer } from './transport/nats-envelope.server';
import { jsonBodyParser } from './http/json-body';
import { expressRoutePaths, pathParameterCheck } from './http/path-parameters';

export interface BootstrapOptions {
  readonly title: string;
  readonly description: string;
}

/** Creates, configures and starts a service's HTTP app; returns it so tests can close it. */
export async function bootstrapService(
  appModule: Type<unknown> | DynamicModule,
  config: ServiceConfig,
  options: BootstrapOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Before the router: a path that does not decode, or a body that is not JSON, never reaches a route.
  app.use(pathParameterCheck(() => expressRoutePaths(app.getHttpAdapter().getInstance())));
  app.use(jsonBodyParser(config.HTTP_BODY_LIMIT_BYTES));
  useRequestContext(app);
  // process.exit after the hooks (not a re-raised signal), so pino's buffered lines are flushed on the way out.
  app.enableShutdownHooks([], { useProcessExit: true });
  app.disable('x-powered-by');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key from API_KEYS' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  await startNatsTransport(app);
  await app.listen(config.PORT, config.HOST);
  return app;
}

/** Every HTTP request runs in a RequestContext scope; call after the body parser, whose callbacks would lose it. */
export function useRequestContext(app: INestApplication): void {
  app.use(requestContextMiddleware);
}

/**
 * Serves the app's `@NatsRequest` handlers as a hybrid app: they share the HTTP app's guards, pipes,
 * filters and interceptors, and its one NATS connection (the server is the provider of the app's
 * NatsEnvelopeServer, which the messaging lifecycle drains before HTTP closes).
 */
export async function startNatsTransport(app: INestApplication): Promise<void> {
  app.connectMicroservice({ strategy: app.get(NatsEnvelopeServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}

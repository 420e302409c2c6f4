import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** OpenAPI at `/docs` (UI) and `/docs/json`, built from the controllers and DTOs. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Harbour API')
    .setDescription(
      'Commands and queries for modern-slavery referral cases under the 2015 NRM pilot. Every route needs a bearer JWT. ' +
        'Commands accept `Idempotency-Key` (a retry returns the first response) and `If-Match` (the ETag of the case revision ' +
        'you acted on). Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}

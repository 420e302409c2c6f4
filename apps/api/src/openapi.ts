import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** OpenAPI at `/docs` (UI) and `/docs/json`, built from the controllers and DTOs. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Harbour API')
    .setDescription(
      'Commands and queries for modern-slavery referral cases under the 2015 NRM pilot. Every route needs a bearer JWT. ' +
        'Commands accept `Idempotency-Key` (a retry returns the first response) and `If-Match` (the ETag of the case revision ' +
        'you acted on). Errors are RFC 9457 problem details. This document as JSON: `/docs/json`.\n\n' +
        '**Getting a token.** Embedded mode (`npm start`): in the checkout, run ' +
        '`npm run -s token -- --role lead --region south-west` (`--help` lists the roles and options; use the ' +
        '`HARBOUR_DATA_DIR` the API runs with), then choose **Authorize** and paste it. Distributed mode: a token ' +
        "from your identity provider, with Harbour's audience (`HARBOUR_JWT_AUDIENCE`, default `harbour-api`).",
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Embedded mode: `npm run -s token -- --role <role> --region <region>` prints one.',
    })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
}

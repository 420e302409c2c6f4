import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FieldProblem, ProblemDetails, RESPONSE_HEADERS } from './http/openapi.decorators';
import { CaseFileResponse } from './http/read-responses.dto';

/** What the API's tags group, for readers of the document. */
const TAGS: Record<string, string> = {
  cases: 'Referral cases: a command per workflow step, and the queries on them (read models and the case file).',
  panels: 'The regional panels registry and their meeting schedule.',
  'duty to notify': 'Anonymous Duty to Notify reports for adults who do not consent to a referral.',
  workflows: 'The workflow definitions Harbour runs: states, commands by role, transitions, deadlines.',
  audit:
    "What audit teams read: a case's history and past states, why a decision stands, its hash chain, who read what.",
  'personal data': 'Legal holds, erasure (crypto-shredding) and subject access exports: administrators only.',
};

/** The OpenAPI document of the API, built from the controllers and DTOs. */
export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Harbour API')
    .setDescription(
      'Commands and queries for modern-slavery referral cases under the 2015 NRM pilot. Every route needs a bearer JWT. ' +
        'Commands accept `Idempotency-Key` (a retry returns the first response) and, on an existing record, `If-Match` ' +
        '(the ETag of the revision you acted on). Lists are pages of `items` with a `nextCursor` to pass back as ' +
        '`cursor`. Errors are RFC 9457 problem details (`application/problem+json`), whose `type` starts with the ' +
        '`HARBOUR_PROBLEM_TYPE_BASE` setting. This document as JSON: `/docs/json`.\n\n' +
        '**Getting a token.** Embedded mode (`npm start`): in the checkout, run ' +
        '`npm run -s token -- --role lead --region south-west` (`--help` lists the roles and options; use the ' +
        '`HARBOUR_DATA_DIR` the API runs with), then choose **Authorize** and paste it. Distributed mode: a token ' +
        "from your identity provider, with Harbour's audience (`HARBOUR_JWT_AUDIENCE`, default `harbour-api`).",
    )
    .setVersion('1')
    .setLicense('UNLICENSED: all rights reserved', 'https://spdx.org/licenses/')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Embedded mode: `npm run -s token -- --role <role> --region <region>` prints one.',
    })
    .addSecurityRequirements('bearer');
  for (const [name, description] of Object.entries(TAGS)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDetails, FieldProblem],
  });
  document.components = { ...document.components, headers: { ...RESPONSE_HEADERS } };
  // The case file's fields beyond those every case has depend on its status (`file`, `listing`,
  // `decision`, ...): declared open, so a generated client keeps them, typed `unknown`.
  const caseFile = document.components.schemas?.[CaseFileResponse.name];
  if (caseFile && !('$ref' in caseFile)) caseFile.additionalProperties = true;
  return document;
}

/** OpenAPI at `/docs` (UI) and `/docs/json`. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs/json' });
}

import {
  Injectable,
  ParseUUIDPipe,
  ValidationPipe,
  type ArgumentMetadata,
  type PipeTransform,
  type ValidationError,
} from '@nestjs/common';
import { ValidateBy, buildMessage, isISO8601, type ValidationOptions } from 'class-validator';
import type { ProblemShape } from '@harbour/shared';

export interface FieldError {
  /** Dotted path of the field, e.g. `subject.contact.email`. */
  readonly field: string;
  readonly messages: readonly string[];
}

/** A request whose shape is wrong (HTTP 400), with every field that is wrong. */
export class RequestValidationError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(
      `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation: ${errors.map((e) => e.field).join(', ')}`,
    );
    this.name = 'RequestValidationError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: 'invalid-request',
      title: 'The request is not valid',
      status: 400,
      detail: this.message,
      extensions: { errors: this.errors },
    };
  }
}

/** C0 and C1 control characters and DEL, except tab and line feed (which long text may hold). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** With the `u` flag a valid surrogate pair is one code point: what matches stands alone. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a string from a request cannot be kept as sent, or undefined when it can: ill-formed
 * Unicode (a lone surrogate, which no UTF-8 encoder can write and so no export can carry) or a
 * control character (NUL and the like, which forge line ends and cells in logs and CSV).
 */
export function textProblem(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'is not well-formed Unicode (it holds a lone surrogate)';
  if (CONTROL.test(text)) return 'holds a control character (only tab and line feed are allowed, in long text)';
  return undefined;
}

function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    // class-validator names no property when the value itself is wrong (not an object at all).
    const property = error.property === undefined || error.property === '' ? '(body)' : error.property;
    const field = prefix ? `${prefix}.${property}` : property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Shape checks at the edge: unknown properties are refused (not silently dropped, so a typo in a
 * field name is noticed), values are converted to the DTO's types, and every wrong field is named.
 */
export function requestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

/**
 * A command's body is a JSON object: an absent body is read as `{}` (so a command whose fields are
 * all optional needs none, and the others name each missing field), and an array, string, number
 * or `null` is refused as a whole rather than validated as if it were the DTO.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && value !== null && typeof value === 'object') {
      // class-validator's whitelist looks a name up in a plain object, where `toString` and the
      // other inherited names are found on the prototype: refused here like any unknown name.
      const errors: FieldError[] = [];
      for (const [field, given] of Object.entries(value)) {
        if (field in Object.prototype || field === 'prototype') {
          errors.push({ field, messages: [`property ${field} should not exist`] });
          continue;
        }
        const problem = [given]
          .flat()
          .map((text) => (typeof text === 'string' ? textProblem(text) : undefined))
          .find((found) => found !== undefined);
        if (problem) errors.push({ field, messages: [`${field} ${problem}`] });
      }
      if (errors.length > 0) throw new RequestValidationError(errors);
    }
    if (metadata.type === 'body' && this.toValidate(metadata)) {
      if (value === undefined) return super.transform({}, metadata);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new RequestValidationError([{ field: '(body)', messages: ['the body must be a JSON object'] }]);
      }
    }
    return super.transform(value, metadata);
  }
}

/** `:caseId` and other id parameters: a UUID, or a 400 that names the parameter. */
export function UuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => new RequestValidationError([{ field: name, messages: [`${name} must be a UUID`] }]),
  });
}

// RFC 3339, as the event schemas require: seconds and a zone are not optional.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A point in time: an ISO-8601 date-time with a zone (`2015-10-20T10:00:00Z`) that exists on the
 * calendar (`2015-02-30T10:00:00Z` does not). Not a bare date, which the domain would refuse later.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && INSTANT.test(value) && isISO8601(value, { strict: true, strictSeparator: true }),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO-8601 date-time with a zone, e.g. 2015-10-20T10:00:00Z`,
          options,
        ),
      },
    },
    options,
  );
}

// Where an HTML parser leaves text and starts markup: `<` before a letter (a tag, closed by `>`
// or not: browsers repair `<img src=x onerror=...` into an element), `</` (an end tag or bogus
// comment), `<!` (a comment or declaration) and `<?`. Plus the `javascript:` scheme.
const MARKUP = /<[a-z!?/]|javascript:/i;

/**
 * Refuses text that contains HTML or XML markup, closed or not: case text is shown in browsers and
 * printed exports, and no field of a referral needs markup. `a < b` and `<3` are still text.
 */
export function NoMarkup(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noMarkup',
      validator: {
        validate: (value: unknown) => (typeof value !== 'string' ? true : !MARKUP.test(value)),
        defaultMessage: buildMessage((each) => `${each}$property must not contain markup`, options),
      },
    },
    options,
  );
}

/**
 * One line: no tab or line break. The body parser lets those through for long text (rationales,
 * accounts); a name, an agency or a provider has no use for them, and in a log or a CSV they
 * would start a new line or cell.
 */
export function SingleLine(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'singleLine',
      validator: {
        validate: (value: unknown) => (typeof value !== 'string' ? true : !/[\t\n\r]/.test(value)),
        defaultMessage: buildMessage((each) => `${each}$property must be one line, without tabs`, options),
      },
    },
    options,
  );
}

/** For commands that take no data: an absent or empty JSON object, nothing else. */
@Injectable()
export class EmptyBodyPipe implements PipeTransform<unknown, Record<string, never>> {
  transform(value: unknown): Record<string, never> {
    // No body at all. A JSON `null` is a body, and not an object (an empty one never gets here:
    // the JSON parser refuses it).
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new RequestValidationError([{ field: '(body)', messages: ['the body must be a JSON object or empty'] }]);
    }
    const keys = Object.keys(value);
    if (keys.length > 0) {
      throw new RequestValidationError(
        keys.map((field) => ({ field, messages: [`property ${field} should not exist`] })),
      );
    }
    return {};
  }
}

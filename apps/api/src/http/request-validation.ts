import { Injectable, ValidationPipe, type PipeTransform, type ValidationError } from '@nestjs/common';
import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

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
}

function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Shape checks at the edge: unknown properties are refused (not silently dropped, so a typo in a
 * field name is noticed), values are converted to the DTO's types, and every wrong field is named.
 */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

const MARKUP = /<\s*\/?\s*[a-z!?][^>]*>|javascript:/i;

/**
 * Refuses text that contains HTML or XML tags: case text is shown in browsers and printed exports,
 * and no field of a referral needs markup.
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

/** For commands that take no data: an absent or empty JSON object, nothing else. */
@Injectable()
export class EmptyBodyPipe implements PipeTransform<unknown, Record<string, never>> {
  transform(value: unknown): Record<string, never> {
    if (value === undefined || value === null || value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
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

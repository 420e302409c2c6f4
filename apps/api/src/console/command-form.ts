/**
 * A command's form, derived from the same OpenAPI schema the JSON API validates against, so a
 * field added to a command's DTO appears on its page without a second declaration: text, choices
 * (select or radios), yes/no, checkboxes for a list of choices, one-per-line for a list of texts,
 * fieldsets for nested objects and a few repeated rows for a list of objects. The form's answers
 * are turned back into the command's JSON body, and the API's own validation has the last word.
 */

/** The slice of JSON Schema (as OpenAPI writes it) a form is built from. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly description?: string;
  readonly example?: unknown;
  readonly maxItems?: number;
  readonly maxLength?: number;
  readonly allOf?: readonly Schema[];
}

export type FieldKind =
  'text' | 'textarea' | 'select' | 'boolean' | 'checkboxes' | 'lines' | 'number' | 'group' | 'rows';

export interface FormField {
  /** The dotted path the API's field errors name (`subject.contact.phone`, `members.0.agency`). */
  readonly name: string;
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly options?: readonly string[];
  /** `group`: its fields; `rows`: each row's fields. */
  readonly fields?: readonly FormField[];
  readonly rows?: readonly (readonly FormField[])[];
}

/** Rows offered for a list of objects: a panel of five, with room for one more. */
const MAX_ROWS = 6;

export function resolve(schema: Schema, components: Readonly<Record<string, Schema>>): Schema {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (current.$ref) current = components[current.$ref.replace('#/components/schemas/', '')] ?? {};
    else if (current.allOf?.length === 1) current = current.allOf[0];
    else return current;
  }
  return current;
}

/** `chairDeclaredConflict` -> `Chair declared conflict`; `panel-notice-7-days` -> `Panel notice 7 days`. */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/-/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function hintOf(schema: Schema): string | undefined {
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description);
  if (schema.format === 'date-time') parts.push('A date and time such as 2015-09-01T09:00:00Z.');
  else if (schema.format === 'date') parts.push('A date such as 1990-01-31.');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** The fields of a command body's form. */
export function formFields(body: Schema, components: Readonly<Record<string, Schema>>, prefix = ''): FormField[] {
  const object = resolve(body, components);
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([key, raw]) =>
    fieldOf(`${prefix}${key}`, key, resolve(raw, components), required.has(key), components),
  );
}

function fieldOf(
  name: string,
  key: string,
  schema: Schema,
  required: boolean,
  components: Readonly<Record<string, Schema>>,
): FormField {
  const base = { name, id: name.replace(/\./g, '-'), label: labelOf(key), hint: hintOf(schema), required };
  if (schema.enum) return { ...base, kind: 'select', options: schema.enum.map(String) };
  switch (schema.type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'integer':
    case 'number':
      return { ...base, kind: 'number' };
    case 'array': {
      const item = resolve(schema.items ?? {}, components);
      if (item.enum) return { ...base, kind: 'checkboxes', options: item.enum.map(String) };
      if (item.type === 'object' || item.properties) {
        const count = Math.min(schema.maxItems ?? MAX_ROWS, MAX_ROWS);
        const rows = Array.from({ length: count }, (_, index) => formFields(item, components, `${name}.${index}.`));
        return { ...base, kind: 'rows', rows };
      }
      return { ...base, kind: 'lines', hint: [base.hint, 'One on each line.'].filter(Boolean).join(' ') };
    }
    case 'object':
      return { ...base, kind: 'group', fields: formFields(schema, components, `${name}.`) };
    default:
      if (schema.properties) return { ...base, kind: 'group', fields: formFields(schema, components, `${name}.`) };
      return { ...base, kind: (schema.maxLength ?? 0) > 300 ? 'textarea' : 'text' };
  }
}

/** A submitted form: each name and the values sent under it (checkboxes repeat a name). */
export type FormAnswers = ReadonlyMap<string, readonly string[]>;

export function parseForm(body: string): Map<string, string[]> {
  const answers = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) answers.set(name, [...(answers.get(name) ?? []), value]);
  return answers;
}

/** The command's JSON body from the answers: blank answers are left out, for the API to name. */
export function bodyFrom(fields: readonly FormField[], answers: FormAnswers): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueOf(field, answers);
    if (value !== undefined) body[field.name.split('.').pop()!] = value;
  }
  return body;
}

function valueOf(field: FormField, answers: FormAnswers): unknown {
  const given = (answers.get(field.name) ?? []).map((value) => value.trim());
  const first = given.find((value) => value !== '');
  switch (field.kind) {
    case 'text':
    case 'textarea':
    case 'select':
      return first;
    case 'number':
      return first === undefined ? undefined : /^-?\d+(\.\d+)?$/.test(first) ? Number(first) : first;
    case 'boolean':
      return first === 'true' ? true : first === 'false' ? false : first;
    case 'checkboxes':
      return given.filter((value) => value !== '').length > 0
        ? given.filter((value) => value !== '')
        : field.required
          ? []
          : undefined;
    case 'lines': {
      const lines = (first ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return lines.length > 0 ? lines : field.required ? [] : undefined;
    }
    case 'group': {
      const nested = bodyFrom(field.fields ?? [], answers);
      return Object.keys(nested).length > 0 || field.required ? nested : undefined;
    }
    case 'rows': {
      const rows = (field.rows ?? []).map((row) => bodyFrom(row, answers)).filter((row) => Object.keys(row).length > 0);
      return rows.length > 0 || field.required ? rows : undefined;
    }
  }
}

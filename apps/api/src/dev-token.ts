/**
 * `npm run token`: mints a development bearer token that the embedded API accepts and prints it
 * alone on stdout, so `TOKEN=$(npm run -s token -- --role lead --region south-west)` works.
 * Exit codes: 0 minted (or --help), 1 this configuration cannot mint, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { ORGANISATIONS, ORGANISATION_TYPES, type OrganisationType } from '@harbour/domain';
import {
  DEFAULT_AGENCY,
  DevelopmentTokenError,
  isRole,
  mintDevelopmentToken,
  ROLES,
  SecurityConfigurationError,
  securityConfigFrom,
} from '@harbour/security';

const USAGE = () => `Usage: npm run -s token -- --role <role> --region <region> [options]

Mints a bearer token for the embedded Harbour API, signed with the development secret in
<HARBOUR_DATA_DIR or ./data>/dev-jwt-secret (created on first use), and prints it alone. Run it
with the HARBOUR_DATA_DIR the API runs with (the API's start-up line names it), or the API will
answer 401:

  TOKEN=$(npm run -s token -- --role lead --region south-west)
  curl -H "Authorization: Bearer $TOKEN" ...

Options:
  --role <role>      one of: ${ROLES.join(', ')} (required)
  --region <region>  kebab-case region, e.g. south-west, west-yorkshire (required)
  --agency <id>      the holder's organisation: an id of the registry below (or its name, e.g.
                     "Dorset Police", or a council's ONS code, which resolve to the id; the token
                     carries the id); anything else is refused (default: ${DEFAULT_AGENCY})
  --panel <id>       a panel the holder sits on; panel-chair and panel-member only; repeatable
  --user <id>        the token's subject (default: dev-<role>-<region>)
  --ttl <duration>   lifetime: 90s, 30m, 8h (default: 8h, at most HARBOUR_JWT_MAX_LIFETIME_SECONDS, 24h by default)
  -h, --help         show this help

Tokens can only be minted in embedded mode with no HARBOUR_JWKS_URL; the same HARBOUR_* settings
as the server's apply.

Organisation ids (GET /organisations lists them with names, types and regions):
${organisationIds()}`;

// Councils are hundreds: their count and how to name one; every other kind in full.
function organisationIds(): string {
  const byType = (type: OrganisationType) => ORGANISATIONS.filter((org) => org.type === type).map((org) => org.id);
  return ORGANISATION_TYPES.map((type) => {
    const ids = byType(type);
    if (type === 'local-authority') {
      return `  ${type} (${ids.length}): each council's id, e.g. dorset-council, leeds-city-council, or its ONS code (E06000059)\n`;
    }
    return `  ${type}:\n${wrap(ids, '    ')}`;
  }).join('');
}

function wrap(words: readonly string[], indent: string, width = 100): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.length + word.length + 2 > width && line !== indent) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word}, `;
  }
  lines.push(line.replace(/, $/, ''));
  return `${lines.join('\n')}\n`;
}

const EXIT_OK = 0;
const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

const OPTIONS = {
  role: { type: 'string' },
  region: { type: 'string' },
  agency: { type: 'string' },
  panel: { type: 'string', multiple: true },
  user: { type: 'string' },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), EXIT_USAGE);
  }
  if (parsed.help) {
    process.stdout.write(USAGE());
    return EXIT_OK;
  }
  try {
    const config = securityConfigFrom(env);
    if (config.key.kind === 'secret' && config.key.source === 'ephemeral') {
      return fail(
        'HARBOUR_DATA_DIR=:memory: keeps the signing secret inside one process: no API could verify this token',
        EXIT_REFUSED,
      );
    }
    if (config.key.kind === 'secret' && config.key.created) {
      // The usual cause of a 401: an API started with another HARBOUR_DATA_DIR than this shell's.
      process.stderr.write(
        `dev-token: made a new development secret, ${config.key.file}. An API already running ` +
          'verifies tokens with the secret in its own HARBOUR_DATA_DIR: run this with the same one.\n',
      );
    }
    const token = await mintDevelopmentToken(
      {
        role: parsed.role,
        region: parsed.region,
        agency: parsed.agency,
        panels: parsed.panel,
        userId: parsed.user,
        ttl: parsed.ttl,
      },
      config,
    );
    process.stdout.write(`${token}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DevelopmentTokenError) {
      return fail(error.message, error.reason === 'bad-request' ? EXIT_USAGE : EXIT_REFUSED);
    }
    if (error instanceof SecurityConfigurationError) return fail(error.message, EXIT_REFUSED);
    throw error;
  }
}

function parse(argv: readonly string[]) {
  const { values, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, tokens: true });
  if (values.help) return { help: true as const };
  // parseArgs keeps the last of a repeated option silently; a second --role is more likely a slip.
  for (const name of ['role', 'region', 'agency', 'user', 'ttl'] as const) {
    if (tokens.filter((token) => token.kind === 'option' && token.name === name).length > 1) {
      throw new UsageError(`--${name} given more than once`);
    }
  }
  const { role, region } = values;
  if (role === undefined) throw new UsageError('--role is required');
  if (!isRole(role)) throw new UsageError(`unknown role "${role}"; expected one of: ${ROLES.join(', ')}`);
  if (region === undefined) throw new UsageError('--region is required');
  return { ...values, help: false as const, role, region };
}

function fail(message: string, code: number): number {
  process.stderr.write(`dev-token: ${message}\n`);
  if (code === EXIT_USAGE) process.stderr.write('Run with --help for usage.\n');
  return code;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dev-token: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_REFUSED;
  },
);

import { ConfigurationError, wholeNumberSetting } from '@harbour/shared';

/** Decision letters and their notifications. */
export interface LettersConfig {
  /** Where the mail server is; without one, letters are made and queued but nothing is sent. */
  readonly smtp: { readonly host: string; readonly port: number; readonly secure: boolean } | null;
  readonly from: string;
  /** The mailbox each organisation (registry id) receives decision letters at. */
  readonly organisationMailboxes: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  /** The domain of idempotent Message-IDs. */
  readonly messageIdDomain: string;
}

/**
 * - `HARBOUR_SMTP_URL` (optional): `smtp://host:port` (STARTTLS where offered) or `smtps://host:port`
 * - `HARBOUR_LETTERS_FROM` (default `decisions@harbour.invalid`)
 * - `HARBOUR_ORGANISATION_MAILBOXES`: `organisation-id=address` pairs, comma-separated
 * - `HARBOUR_LETTERS_INTERVAL_MS` (default 5000)
 */
export function lettersConfigFrom(env: Readonly<Record<string, string | undefined>>): LettersConfig {
  const from = env.HARBOUR_LETTERS_FROM ?? 'decisions@harbour.invalid';
  if (!/^[^\s@]+@[^\s@]+$/.test(from)) throw new ConfigurationError('HARBOUR_LETTERS_FROM', 'must be an email address');
  return {
    smtp: smtpFrom(env.HARBOUR_SMTP_URL),
    from,
    organisationMailboxes: mailboxesFrom(env.HARBOUR_ORGANISATION_MAILBOXES),
    intervalMs: wholeNumberSetting(env, 'HARBOUR_LETTERS_INTERVAL_MS', {
      fallback: 5000,
      min: 10,
      max: 3_600_000,
      what: 'a whole number of milliseconds',
    }),
    messageIdDomain: from.split('@')[1],
  };
}

function smtpFrom(value: string | undefined): LettersConfig['smtp'] {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError('HARBOUR_SMTP_URL', 'must be a URL such as smtp://mail.example:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigurationError('HARBOUR_SMTP_URL', 'must start smtp:// or smtps://');
  }
  const secure = url.protocol === 'smtps:';
  return { host: url.hostname, port: url.port === '' ? (secure ? 465 : 587) : Number(url.port), secure };
}

function mailboxesFrom(value: string | undefined): Record<string, string> {
  if (value === undefined || value.trim() === '') return {};
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const [id, address] = pair.split('=').map((part) => part.trim());
      if (!id || !address || !/^[^\s@]+@[^\s@]+$/.test(address)) {
        throw new ConfigurationError('HARBOUR_ORGANISATION_MAILBOXES', `"${pair}" is not organisation-id=address`);
      }
      return [id, address];
    }),
  );
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@harbour/security';

/** Who is signed in to the console, as their OpenID provider said. */
export interface ConsoleSession {
  readonly id: string;
  readonly actor: Actor;
  readonly name: string;
  /** For the provider's sign-out (`id_token_hint`). */
  readonly idToken: string;
  /** The provider's access token: forwarded to the API when the API trusts that provider. */
  readonly accessToken: string;
  /** Every form carries it; a post without it (or with another session's) is refused. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

/** A sign-in under way: what the callback must match (PKCE verifier, state, nonce). */
export interface PendingSignIn {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnTo: string;
  readonly createdAt: number;
}

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

/**
 * Console sessions, held in this process's memory under a random id that only the httpOnly cookie
 * carries: nothing about the person is in the cookie, and a restart signs everyone out. (One API
 * replica per console session: a shared store is for when the console runs behind several.)
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly idleMs: number,
    private readonly absoluteMs: number,
    private readonly now: () => number,
  ) {}

  startSignIn(sign: Omit<PendingSignIn, 'createdAt'>): string {
    this.sweepPending();
    const id = randomId();
    this.pending.set(id, { ...sign, createdAt: this.now() });
    return id;
  }

  /** The sign-in a callback belongs to, once: a replayed callback finds nothing. */
  takeSignIn(id: string | undefined): PendingSignIn | undefined {
    if (id === undefined) return undefined;
    const found = this.pending.get(id);
    this.pending.delete(id);
    if (!found || this.now() - found.createdAt > PENDING_TTL_MS) return undefined;
    return found;
  }

  create(values: Omit<ConsoleSession, 'id' | 'csrfToken' | 'createdAt' | 'lastSeenAt'>): ConsoleSession {
    const now = this.now();
    const session: ConsoleSession = {
      ...values,
      id: randomId(),
      csrfToken: randomId(),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session a cookie names, its idle clock restarted; an expired one is ended. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastSeenAt > this.idleMs || now - session.createdAt > this.absoluteMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  private sweepPending(): void {
    const now = this.now();
    for (const [id, sign] of this.pending) if (now - sign.createdAt > PENDING_TTL_MS) this.pending.delete(id);
    // A flood of abandoned sign-ins cannot grow memory without bound: the oldest go first.
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
  }
}

/** True when `given` is the session's CSRF token (compared in constant time). */
export function csrfMatches(session: ConsoleSession, given: string | undefined): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function randomId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What every RPC handler of one node of the double needs: the shared log as this node sees it,
 * and the node's rules for admitting a call (TLS credentials, the leader, access control).
 */
import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import type { InMemoryLog, LogView } from './in-memory-log';

export type ErrorStatus = Partial<StatusObject>;

/** What a call wants to do, for admission. */
export type Operation =
  | { readonly kind: 'read'; readonly stream: string }
  | { readonly kind: 'subscribe'; readonly stream: string }
  | { readonly kind: 'write'; readonly stream: string };

export interface NodeContext {
  /** The whole log: writes go here (a follower forwards them to the leader's). */
  readonly log: InMemoryLog;
  /** What reads on this node see. */
  readonly view: LogView;
  /** The largest append, counted as EventStoreDB's `SizeOnDisk` counts (default 1 MiB). */
  readonly maxAppendSize: number;
  /** Why this call must not run here, or undefined when it may. */
  admit(metadata: Metadata, operation: Operation): ErrorStatus | undefined;
  /** True when this append must fail the way a dropped connection does (see `failNextAppends`). */
  takeInjectedFailure(): boolean;
  /** True when this append must be written but never answered (see `hangNextAppends`). */
  takeInjectedHang(): boolean;
}

/** A user of a secure node: its password and groups (`$admins` may do everything). */
export interface DoubleUser {
  readonly password: string;
  readonly groups: readonly string[];
}

/** The leader as a node knows it, for `NotLeader` answers; undefined while there is none. */
export interface LeaderInfo {
  readonly isSelf: boolean;
  readonly host: string;
  readonly port: number;
}

export interface AdmissionRules {
  readonly log: InMemoryLog;
  /** Set on a node started secure: every call must authenticate as one of these users. */
  readonly users?: Readonly<Record<string, DoubleUser>>;
  readonly leader: () => LeaderInfo | undefined;
}

/**
 * EventStoreDB's answers to a call a node will not run: `UNAVAILABLE` while there is no leader,
 * `NotLeader` (NOT_FOUND with the leader's address, which the client follows) when the call
 * requires the leader or writes and this node is a follower asked to require it, and, on a secure
 * node, `UNAUTHENTICATED` without valid credentials and `PERMISSION_DENIED` (access-denied) for a
 * user the ACL does not allow: reading `$all` takes `$admins` or a role the `$all` stream's
 * metadata grants (`$$$all`, `$acl.$r`); writing a `$` stream takes `$admins`.
 */
export function admit(rules: AdmissionRules, metadata: Metadata, operation: Operation): ErrorStatus | undefined {
  const leader = rules.leader();
  if (leader === undefined) return { code: status.UNAVAILABLE, details: 'Server Is Not Ready' };
  const requiresLeader = String(metadata.get('requires-leader')[0] ?? '') === 'true';
  if (!leader.isSelf && requiresLeader) {
    const answer = new Metadata();
    answer.set('exception', 'not-leader');
    answer.set('leader-endpoint-host', leader.host);
    answer.set('leader-endpoint-port', String(leader.port));
    return { code: status.NOT_FOUND, details: 'Leader info available', metadata: answer };
  }
  if (rules.users === undefined) return undefined;

  const user = authenticate(rules.users, metadata);
  if (user === undefined) return { code: status.UNAUTHENTICATED, details: 'Authentication required' };
  const groups = new Set([user.name, ...user.groups]);
  if (groups.has('$admins')) return undefined;
  const allowed =
    operation.stream === '$all' && operation.kind !== 'write'
      ? readersOfAll(rules.log).some((role) => groups.has(role) || role === '$all')
      : !(operation.kind === 'write' && operation.stream.startsWith('$'));
  return allowed ? undefined : accessDenied();
}

function accessDenied(): ErrorStatus {
  const metadata = new Metadata();
  metadata.set('exception', 'access-denied');
  return { code: status.PERMISSION_DENIED, details: 'Access Denied', metadata };
}

function authenticate(
  users: Readonly<Record<string, DoubleUser>>,
  metadata: Metadata,
): (DoubleUser & { name: string }) | undefined {
  const header = String(metadata.get('authorization')[0] ?? '');
  const match = /^Basic (.+)$/.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  const user = users[name];
  return colon > 0 && user !== undefined && user.password === decoded.slice(colon + 1) ? { ...user, name } : undefined;
}

function readersOfAll(log: InMemoryLog): string[] {
  const readers = log.metadataOf('$all').$acl?.$r;
  return readers === undefined ? [] : typeof readers === 'string' ? [readers] : [...readers];
}

import { createHash, randomUUID } from 'node:crypto';

/**
 * A UUID (version 8, "custom") derived from a name: the same name always gives the same id. Used
 * so that a retried command produces the same command, case and event ids, which the event store
 * then recognises as the same append.
 */
export function uuidFromName(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function newId(): string {
  return randomUUID();
}

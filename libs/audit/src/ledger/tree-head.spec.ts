import { generateKeyPairSync } from 'node:crypto';
import { LedgerSigningKey, publicJwkOf, treeHeadProblem } from './tree-head';

/*
 * What a verifier outside Harbour is told about a signed tree head: the shape is checked before
 * the signature, and each defect is named, so a head with a negative size is not reported as a
 * bad signature (which would send an auditor looking for a forger instead of a broken publisher).
 */
describe('treeHeadProblem', () => {
  const key = new LedgerSigningKey(generateKeyPairSync('ed25519').privateKey, 'test key');
  const keys = [publicJwkOf(key.publicKey)];
  const head = key.sign(3, Buffer.alloc(32, 7), new Date('2015-07-21T09:00:00.000Z'));

  it('passes a head signed by a key given', () => {
    expect(treeHeadProblem(head, keys)).toBeUndefined();
  });

  it.each([
    ['not an object', null, 'the head is not a JSON object'],
    ['another format', { ...head, format: 'other' }, 'the head is not a Harbour tree head (version 1)'],
    ['a negative size', { ...head, treeSize: -1 }, 'the head has no valid treeSize'],
    ['a fractional size', { ...head, treeSize: 1.5 }, 'the head has no valid treeSize'],
    ['a root that is not 32 bytes of hex', { ...head, rootHash: 'ab' }, 'the head has no valid rootHash'],
  ])('names %s', (_name, value, problem) => {
    expect(treeHeadProblem(value, keys)).toBe(problem);
  });

  it('names an altered size, once the shape is right, as a signature that does not verify', () => {
    expect(treeHeadProblem({ ...head, treeSize: 4 }, keys)).toMatch(/signature does not verify/);
    expect(treeHeadProblem(head, [])).toMatch(/not among the keys given/);
  });
});

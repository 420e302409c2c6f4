import type { Actor } from './actor.model';
import { actorFromRequest, findActor } from './request-actor';

const analyst: Actor = { userId: 'a-1', role: 'analyst', agency: 'home-office', region: 'london', panels: [] };

describe('actorFromRequest', () => {
  it('fails loudly rather than return no actor', () => {
    expect(actorFromRequest({ actor: analyst })).toBe(analyst);
    expect(() => actorFromRequest({})).toThrow('No authenticated actor on this request');
  });
});

describe('findActor', () => {
  it('reads the actor if there is one', () => {
    expect(findActor({ actor: analyst })).toBe(analyst);
    expect(findActor({})).toBeUndefined();
  });
});

import { issuersOf } from './workflow.registry';

/*
 * A command's route admits the roles some definition's step names for it, and no others: the
 * route guard reads issuersOf, so a role it adds wrongly could call the route (the decider would
 * still refuse it in a state whose step does not name it).
 */
describe('issuersOf', () => {
  it('names exactly the roles the definitions give a command, in the order of ROLES', () => {
    expect(issuersOf('MakeReasonableGroundsDecision')).toEqual(['competent-authority']);
    expect(issuersOf('RecordDecision')).toEqual(['panel-chair', 'competent-authority']);
    expect(issuersOf('CloseCase')).toEqual(['case-manager', 'competent-authority']);
  });
});

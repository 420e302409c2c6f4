import { decideCase } from '../case/case.decider';
import { initialCaseState } from '../case/case.state';
import type { Actor } from '../shared/actor.model';
import { InvalidHistoryError, SubmissionNotFoundError } from '../shared/domain.errors';
import { organisationById } from '../shared/organisations.data';
import { deciderSpecification, NotPermitted, RuleBroken } from '../testing/decider.specification';
import {
  actors,
  adultReferralData,
  at,
  commands,
  historyIn,
  ids,
  londonReferralData,
  times,
} from '../testing/domain.examples';
import { evolveCase } from '../case/case.evolver';
import { FIRST_RESPONDERS_2015 } from './first-responders.definition';
import type { AcceptReferral, ReturnReferral, SubmitReferral } from './intake.commands';
import { decideIntake, evolveIntake, initialIntakeState, referralToRaise } from './intake.decider';
import type { IntakeEvent } from './intake.events';
import { intakeStreamName } from './intake.events';

const sut = deciderSpecification({ initialState: initialIntakeState, decide: decideIntake, evolve: evolveIntake });
const { firstResponder, otherFirstResponder, healthFirstResponder, lead, westYorkshireLead, caseManager } = actors;
const { competentAuthority, londonLead, londonFirstResponder, admin } = actors;

const submissionId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const submittedAt = '2015-06-01T08:00:00.000Z';
const decidedAt = times.raisedAt;

function submit(data = adultReferralData()): SubmitReferral {
  const { referringAgency: _ignored, firstResponderType: _fromTheRegistry, ...rest } = data;
  return { type: 'SubmitReferral', submissionId, data: rest };
}
const accept: AcceptReferral = { type: 'AcceptReferral', submissionId, caseId: ids.caseId };
const giveBack = (reason = 'No consent form attached; please send the signed form.'): ReturnReferral => ({
  type: 'ReturnReferral',
  submissionId,
  reason,
});

function submitted(by: Actor = firstResponder, data = adultReferralData()): IntakeEvent[] {
  const events = decideIntake(submit(data), initialIntakeState(), at(by, submittedAt));
  return events;
}
const submittedLondon = (): IntakeEvent[] => submitted(londonFirstResponder, londonReferralData());
const accepted = (): IntakeEvent[] => [
  ...submitted(),
  ...decideIntake(accept, evolveIntake(initialIntakeState(), submitted()[0]!), at(lead, decidedAt)),
];
const returned = (): IntakeEvent[] => [
  ...submitted(),
  ...decideIntake(giveBack(), evolveIntake(initialIntakeState(), submitted()[0]!), at(lead, decidedAt)),
];

describe('SubmitReferral', () => {
  it('records the referral for the organisation the token names, the referral checked by the case rules', () => {
    sut
      .given([])
      .when(submit(adultReferralData({ referringAgency: 'dorset-police' })), at(firstResponder, submittedAt))
      .thenEvents(([event]) => {
        expect(event).toMatchObject({
          type: 'ReferralSubmitted',
          data: {
            submissionId,
            submittedAt,
            firstResponderId: 'fr-1',
            // The token's organisation, whatever the body said.
            referringAgency: 'bristol-city-council',
            firstResponderType: 'local-authority',
            region: 'south-west',
            subject: { subjectId: ids.subjectId, name: 'Ana Example' },
          },
        });
        expect(event?.data).not.toHaveProperty('caseId');
        expect(event?.data).not.toHaveProperty('leadId');
      });
  });

  it('names its stream intake-<submissionId>', () => {
    expect(intakeStreamName(submissionId)).toBe(`intake-${submissionId}`);
  });

  it('refuses an organisation that is not a first responder (not-a-first-responder)', () => {
    sut.given([]).when(submit(), at(healthFirstResponder, submittedAt)).thenThrows(RuleBroken('not-a-first-responder'));
  });

  it('refuses an organisation the registry does not know (not-a-first-responder)', () => {
    const stranger = { ...firstResponder, agency: 'acme-recruitment' };
    sut.given([]).when(submit(), at(stranger, submittedAt)).thenThrows(RuleBroken('not-a-first-responder'));
  });

  it.each([lead, caseManager, competentAuthority, admin])('refuses a $role: only a first responder submits', (who) => {
    sut.given([]).when(submit(), at(who, submittedAt)).thenThrows(NotPermitted('role-not-permitted'));
  });

  it('refuses what the lead could never accept: an adult without consent (adult-consent-required)', () => {
    sut
      .given([])
      .when(submit(adultReferralData({ consent: { given: false } })), at(firstResponder, submittedAt))
      .thenThrows(RuleBroken('adult-consent-required'));
  });

  it('refuses a force outside the region (force-not-in-region)', () => {
    sut
      .given([])
      .when(submit(adultReferralData({ policeForceArea: 'metropolitan' })), at(firstResponder, submittedAt))
      .thenThrows(RuleBroken('force-not-in-region'));
  });

  it('refuses a region no workflow takes referrals in (no-workflow-for-region)', () => {
    sut
      .given([])
      .when(submit(), { ...at(firstResponder, submittedAt), workflowRoutes: {} })
      .thenThrows(RuleBroken('no-workflow-for-region'));
  });

  it.each([
    ['submitted', submitted],
    ['accepted', accepted],
    ['returned', returned],
  ] as const)('refuses a second submission with the same id when %s (referral-already-submitted)', (_s, history) => {
    sut
      .given(history())
      .when(submit(), at(firstResponder, submittedAt))
      .thenThrows(RuleBroken('referral-already-submitted'));
  });
});

describe('AcceptReferral and ReturnReferral on the pilot route', () => {
  it("is accepted by the region's lead into the case named", () => {
    sut
      .given(submitted())
      .when(accept, at(lead, decidedAt))
      .then([
        {
          type: 'ReferralAccepted',
          data: {
            submissionId,
            caseId: ids.caseId,
            acceptedAt: decidedAt,
            acceptedBy: { userId: 'lead-1', role: 'lead' },
          },
        },
      ]);
  });

  it('is returned by the lead with a reason', () => {
    sut
      .given(submitted())
      .when(giveBack(), at(lead, decidedAt))
      .then([
        {
          type: 'ReferralReturned',
          data: {
            submissionId,
            returnedAt: decidedAt,
            returnedBy: { userId: 'lead-1', role: 'lead' },
            reason: 'No consent form attached; please send the signed form.',
          },
        },
      ]);
  });

  it('refuses a return without a reason (text-required)', () => {
    sut.given(submitted()).when(giveBack('   '), at(lead, decidedAt)).thenThrows(RuleBroken('text-required'));
  });

  it.each([accept, giveBack()])("refuses another region's lead (outside-region): $type", (command) => {
    sut.given(submitted()).when(command, at(westYorkshireLead, decidedAt)).thenThrows(NotPermitted('outside-region'));
  });

  it.each([caseManager, competentAuthority, firstResponder, otherFirstResponder, admin])(
    'refuses a $role: on the pilot only the lead accepts or returns',
    (who) => {
      sut.given(submitted()).when(accept, at(who, decidedAt)).thenThrows(NotPermitted('role-not-permitted'));
      sut.given(submitted()).when(giveBack(), at(who, decidedAt)).thenThrows(NotPermitted('role-not-permitted'));
    },
  );

  it('refuses a business time before the submission (business-time-before-last-entry)', () => {
    sut
      .given(submitted())
      .when(accept, at(lead, '2015-05-31T23:00:00.000Z'))
      .thenThrows(RuleBroken('business-time-before-last-entry'));
  });

  it('answers an id nobody submitted as not found (404), for accept and return alike', () => {
    for (const command of [accept, giveBack()]) {
      expect(() => decideIntake(command, initialIntakeState(), at(lead, decidedAt))).toThrow(SubmissionNotFoundError);
    }
  });

  it.each([
    ['accepted', accepted],
    ['returned', returned],
  ] as const)('refuses to accept or return when %s (referral-not-awaiting-acceptance)', (_state, history) => {
    sut.given(history()).when(accept, at(lead, decidedAt)).thenThrows(RuleBroken('referral-not-awaiting-acceptance'));
    sut
      .given(history())
      .when(giveBack(), at(lead, decidedAt))
      .thenThrows(RuleBroken('referral-not-awaiting-acceptance'));
  });
});

describe('AcceptReferral on the central route', () => {
  it('is accepted by the competent authority', () => {
    sut
      .given(submittedLondon())
      .when(accept, at(competentAuthority, decidedAt))
      .thenEvents(([event]) =>
        expect(event).toMatchObject({
          type: 'ReferralAccepted',
          data: { acceptedBy: { role: 'competent-authority' } },
        }),
      );
  });

  it("refuses the region's lead: the referral goes to the competent authority", () => {
    sut.given(submittedLondon()).when(accept, at(londonLead, decidedAt)).thenThrows(NotPermitted('role-not-permitted'));
  });
});

describe('referralToRaise', () => {
  it("raises the case exactly as submitted, the first responder's organisation referring", () => {
    const [event] = submitted();
    if (event?.type !== 'ReferralSubmitted') throw new Error('no submission');
    const [raised] = decideCase(referralToRaise(event.data, ids.caseId), initialCaseState(), at(lead, decidedAt));
    expect(raised).toMatchObject({
      type: 'ReferralRaised',
      data: {
        caseId: ids.caseId,
        leadId: 'lead-1',
        referringAgency: 'bristol-city-council',
        subject: event.data.subject,
        account: event.data.account,
      },
    });
  });
});

describe('RequestReconsideration by first responders', () => {
  const cases = deciderSpecification({ initialState: initialCaseState, decide: decideCase, evolve: evolveCase });

  it.each(['assessment-negative', 'decided-negative', 'negative-upheld'] as const)(
    'is asked by the first responder whose organisation referred the case (%s)',
    (state) => {
      cases
        .given(historyIn[state]())
        .when(commands.requestReconsideration(), at(firstResponder, times.later))
        .thenEvents(([event]) => expect(event?.type).toBe('ReconsiderationRequested'));
    },
  );

  it.each(['assessment-negative', 'decided-negative', 'negative-upheld'] as const)(
    'is refused to a first responder of another organisation (not-the-referrer, %s)',
    (state) => {
      cases
        .given(historyIn[state]())
        .when(commands.requestReconsideration(), at(otherFirstResponder, times.later))
        .thenThrows(NotPermitted('not-the-referrer'));
    },
  );
});

describe('evolveIntake', () => {
  it('folds a submission to accepted and to returned', () => {
    expect(accepted().reduce(evolveIntake, initialIntakeState())).toMatchObject({
      status: 'accepted',
      caseId: ids.caseId,
    });
    expect(returned().reduce(evolveIntake, initialIntakeState())).toMatchObject({ status: 'returned' });
  });

  it('refuses a history that accepts what was never submitted', () => {
    const [, acceptance] = accepted();
    expect(() => evolveIntake(initialIntakeState(), acceptance!)).toThrow(InvalidHistoryError);
  });
});

describe('FIRST_RESPONDERS_2015', () => {
  it('names only organisations of the registry, and no health body', () => {
    for (const id of FIRST_RESPONDERS_2015.named) {
      expect({ id, known: organisationById(id) !== undefined }).toEqual({ id, known: true });
      expect(organisationById(id)?.type).not.toBe('health');
    }
    expect(FIRST_RESPONDERS_2015.byType).toEqual(['police', 'local-authority']);
  });
});

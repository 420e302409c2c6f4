import { NotPermitted, RuleBroken, deciderSpecification } from '../testing/decider.specification';
import {
  actors,
  at,
  centralHistoryIn,
  commands,
  historyIn,
  ids,
  londonReferralData,
  run,
  times,
} from '../testing/domain.examples';
import type { Actor } from '../shared/actor.model';
import { RuleBrokenError } from '../shared/domain.errors';
import { NRM_CENTRAL_2015 } from '../workflow/nrm-central-2015.workflow';
import { refusalFor } from './case.access';
import type { CaseCommandType } from './case.commands';
import { decideCase } from './case.decider';
import { evolveCase } from './case.evolver';
import { caseFileOf, initialCaseState } from './case.state';

/*
 * The central route (`nrm-central-2015`): a lead raises the referral outside the pilot regions,
 * the competent authority makes the reasonable grounds decision and, after the recovery period,
 * the conclusive grounds decision with no panel.
 */

const sut = deciderSpecification({ initialState: initialCaseState, decide: decideCase, evolve: evolveCase });
const { londonLead, competentAuthority, otherCompetentAuthority, caseManager, chair, lead } = actors;
const ca = competentAuthority;

describe('RaiseReferral outside the pilot regions', () => {
  it('pins a London referral to the central route under the default routes', () => {
    sut
      .given([])
      .when(commands.raiseReferral(londonReferralData()), at(londonLead, times.raisedAt))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({
          region: 'london',
          leadId: 'lead-7',
          workflow: { id: 'nrm-central-2015', version: 1 },
        }),
      );
  });

  it('keeps a lead to their own region', () => {
    sut
      .given([])
      .when(commands.raiseReferral(londonReferralData()), at(lead, times.raisedAt))
      .thenThrows(NotPermitted('outside-region'));
  });

  it("is raised by the competent authority, who accepts first responders' referrals on this route", () => {
    sut
      .given([])
      .when(commands.raiseReferral(londonReferralData()), at(ca, times.raisedAt))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ region: 'london', leadId: ca.userId }));
  });

  it('is not raised by a first responder directly: its referral is submitted for acceptance', () => {
    sut
      .given([])
      .when(commands.raiseReferral(londonReferralData()), at(actors.londonFirstResponder, times.raisedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });
});

describe('MakeReasonableGroundsDecision', () => {
  it('starts the 45-day recovery period on a positive decision', () => {
    const command = commands.makeReasonableGroundsDecision('positive');
    sut
      .given(centralHistoryIn.referred())
      .when(command, at(ca, times.assessedAt))
      .then([
        {
          type: 'ReasonableGroundsDecisionMade',
          data: {
            caseId: ids.caseId,
            decisionId: ids.reasonableGroundsDecisionId,
            decidedAt: times.assessedAt,
            decisionMakerId: 'ca-1',
            agency: 'uk-human-trafficking-centre',
            outcome: 'positive',
            standardOfProof: 'reasonable-grounds-to-believe',
            guidanceVersion: 'nrm-competent-bodies-guidance-2015',
            rationale: command.data.rationale,
            recoveryPeriod: { startsAt: times.assessedAt, endsAt: times.recoveryEndsAt, days: 45 },
          },
        },
      ]);
  });

  it('starts no recovery period on a negative decision', () => {
    sut
      .given(centralHistoryIn.referred())
      .when(commands.makeReasonableGroundsDecision('negative'), at(ca, times.assessedAt))
      .thenEvents(([event]) => {
        expect(event.data).toMatchObject({ outcome: 'negative' });
        expect(event.data).not.toHaveProperty('recoveryPeriod');
      });
  });

  it('needs a written rationale (written-rationale-required)', () => {
    sut
      .given(centralHistoryIn.referred())
      .when(commands.makeReasonableGroundsDecision('positive', { rationale: 'Yes.' }), at(ca, times.assessedAt))
      .thenThrows(RuleBroken('written-rationale-required'));
  });

  it('is made once: not again in recovery (command-not-allowed-in-state)', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.makeReasonableGroundsDecision(), at(ca, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it.each([londonLead, caseManager, chair, actors.auditor, actors.admin])(
    'is not for the $role role',
    (actor: Actor) => {
      sut
        .given(centralHistoryIn.referred())
        .when(commands.makeReasonableGroundsDecision(), at(actor, times.assessedAt))
        .thenThrows(NotPermitted('role-not-permitted'));
    },
  );

  it('is not open on the pilot, where the lead assessment stands in for it (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn.referred())
      .when(commands.makeReasonableGroundsDecision(), at(ca, times.assessedAt))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('leaves the lead assessment to the pilot (command-not-allowed-in-state)', () => {
    sut
      .given(centralHistoryIn.referred())
      .when(commands.recordLeadAssessment(), at(londonLead, times.assessedAt))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });
});

describe('RecordDecision by the competent authority', () => {
  it('records a positive conclusive decision from recovery, with no listing and no panel', () => {
    const command = commands.recordCompetentAuthorityDecision('positive');
    sut
      .given(centralHistoryIn.recovery())
      .when(command, at(ca, times.decidedAt))
      .then([
        {
          type: 'DecisionRecorded',
          data: {
            caseId: ids.caseId,
            decisionId: ids.decisionId,
            decidedAt: times.decidedAt,
            stage: 'conclusive-grounds',
            outcome: 'positive',
            standardOfProof: 'balance-of-probabilities',
            guidanceVersion: 'nrm-competent-bodies-guidance-2015',
            rationale: command.data.rationale,
            evidenceReliedOn: [{ evidenceId: ids.evidenceId, description: 'Police report of the farm visit.' }],
            decidedBy: { kind: 'competent-authority', decisionMakerId: 'ca-1', agency: 'uk-human-trafficking-centre' },
            membersPresent: [],
            votes: [],
            dissent: [],
          },
        },
      ]);
  });

  it('records a negative conclusive decision', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordCompetentAuthorityDecision('negative'), at(otherCompetentAuthority, times.decidedAt))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({
          outcome: 'negative',
          decidedBy: { kind: 'competent-authority', decisionMakerId: 'ca-2' },
        }),
      );
  });

  it('waits for the 45-day recovery period to end (recovery-period-not-elapsed)', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordCompetentAuthorityDecision(), at(ca, '2015-07-18T09:59:59.999Z'))
      .thenThrows(RuleBroken('recovery-period-not-elapsed'));
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordCompetentAuthorityDecision(), at(ca, times.recoveryEndsAt))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it('needs a written rationale (written-rationale-required)', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordCompetentAuthorityDecision('positive', { rationale: 'Victim.' }), at(ca, times.decidedAt))
      .thenThrows(RuleBroken('written-rationale-required'));
  });

  it('relies only on evidence on the case file (evidence-not-on-file)', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(
        commands.recordCompetentAuthorityDecision('positive', { evidenceReliedOn: [ids.newEvidenceId] }),
        at(ca, times.decidedAt),
      )
      .thenThrows(RuleBroken('evidence-not-on-file'));
  });

  it('takes no votes or dissent, as no panel sits (member-not-present)', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordDecision('positive'), at(ca, times.decidedAt))
      .thenThrows(RuleBroken('member-not-present'));
    sut
      .given(centralHistoryIn.recovery())
      .when(
        commands.recordCompetentAuthorityDecision('negative', {
          dissent: [{ memberId: 'member-5', reason: 'Not persuaded.' }],
        }),
        at(ca, times.decidedAt),
      )
      .thenThrows(RuleBroken('member-not-present'));
  });

  it.each([londonLead, caseManager, chair])('is not for the $role role', (actor: Actor) => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordCompetentAuthorityDecision(), at(actor, times.decidedAt))
      .thenThrows(NotPermitted('role-not-permitted'));
  });

  it('is not made before the reasonable grounds decision (command-not-allowed-in-state)', () => {
    sut
      .given(centralHistoryIn.referred())
      .when(commands.recordCompetentAuthorityDecision(), at(ca, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('is never made from recovery on the pilot, which decides at a panel (command-not-allowed-in-state)', () => {
    sut
      .given(historyIn.recovery())
      .when(commands.recordCompetentAuthorityDecision(), at(ca, times.later))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });

  it('has no panel to list for or convene (command-not-allowed-in-state)', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.listCaseForPanel(), at(caseManager, times.listedAt))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.convenePanel(), at(chair, times.meetingAt))
      .thenThrows(RuleBroken('command-not-allowed-in-state'));
  });
});

describe('CompleteSecondReview on the central route', () => {
  it('upholds a negative decision, reviewed by another competent authority caseworker', () => {
    sut
      .given(centralHistoryIn['decided-negative']())
      .when(commands.completeSecondReview('upheld'), at(otherCompetentAuthority, times.reviewedAt))
      .thenEvents(([event]) =>
        expect(event).toMatchObject({
          type: 'SecondReviewCompleted',
          data: {
            decisionId: ids.decisionId,
            outcome: 'upheld',
            reviewer: { reviewerId: 'ca-2', role: 'competent-authority', agency: 'uk-human-trafficking-centre' },
          },
        }),
      );
  });

  it('is not by the caseworker who made the decision (second-reviewer-took-part)', () => {
    sut
      .given(centralHistoryIn['decided-negative']())
      .when(commands.completeSecondReview('upheld'), at(ca, times.reviewedAt))
      .thenThrows(RuleBroken('second-reviewer-took-part'));
  });

  it('is not for case managers or chairs, who have no part in this route', () => {
    for (const actor of [caseManager, chair]) {
      sut
        .given(centralHistoryIn['decided-negative']())
        .when(commands.completeSecondReview('upheld'), at(actor, times.reviewedAt))
        .thenThrows(NotPermitted('role-not-permitted'));
    }
  });
});

describe('RequestReconsideration on the central route', () => {
  it('sends a negative reasonable grounds decision back to be decided again', () => {
    const events = run(
      [[commands.requestReconsideration(), at(londonLead, times.later)]],
      centralHistoryIn['assessment-negative'](),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'ReconsiderationRequested',
      data: { reconsiders: { kind: 'decision', id: ids.reasonableGroundsDecisionId }, returnsTo: 'referred' },
    });
    sut
      .given(events)
      .when(commands.makeReasonableGroundsDecision('positive', { decisionId: ids.nextDecisionId }), at(ca, times.later))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ outcome: 'positive' }));
  });

  it('sends a negative conclusive decision back to recovery, to be decided again without a panel', () => {
    const events = run(
      [[commands.requestReconsideration(), at(londonLead, times.later)]],
      centralHistoryIn['negative-upheld'](),
    );
    expect(events.at(-1)).toMatchObject({
      data: { reconsiders: { kind: 'decision', id: ids.decisionId }, returnsTo: 'recovery' },
    });
    sut
      .given(events)
      .when(
        commands.recordCompetentAuthorityDecision('positive', { decisionId: ids.nextDecisionId }),
        at(otherCompetentAuthority, times.later),
      )
      .thenEvents(([event]) => expect(event.data).toMatchObject({ outcome: 'positive' }));
  });

  it('is requested through the lead of the case region', () => {
    sut
      .given(centralHistoryIn['assessment-negative']())
      .when(commands.requestReconsideration(), at(ca, times.later))
      .thenThrows(NotPermitted('role-not-permitted'));
    sut
      .given(centralHistoryIn['assessment-negative']())
      .when(commands.requestReconsideration(), at(lead, times.later))
      .thenThrows(NotPermitted('outside-region'));
  });
});

describe('the rest of a central case', () => {
  it('closes a negative reasonable grounds decision as such', () => {
    sut
      .given(centralHistoryIn['assessment-negative']())
      .when(commands.closeCase(), at(ca, times.later))
      .thenEvents(([event]) =>
        expect(event.data).toMatchObject({ closedFrom: 'assessment-negative', outcome: 'reasonable-grounds-negative' }),
      );
  });

  it('lets the competent authority request information, add evidence, suspend, resume and close', () => {
    const steps = run(
      [
        [commands.requestInformation(), at(ca, times.later)],
        [commands.addEvidence({ evidenceId: ids.newEvidenceId }), at(ca, times.later)],
        [commands.suspendCase(), at(ca, times.later)],
        [commands.resumeCase(), at(ca, times.later)],
        [commands.recordCompetentAuthorityDecision('positive'), at(ca, times.later)],
        [commands.closeCase(), at(ca, times.later)],
      ],
      centralHistoryIn.recovery(),
    );
    expect(steps.slice(-6).map((event) => event.type)).toEqual([
      'InformationRequested',
      'EvidenceAdded',
      'CaseSuspended',
      'CaseResumed',
      'DecisionRecorded',
      'CaseClosed',
    ]);
  });

  it('leaves case managers nothing to do on it', () => {
    for (const command of [commands.requestInformation(), commands.suspendCase(), commands.closeCase()]) {
      sut
        .given(centralHistoryIn['decided-positive']())
        .when(command, at(caseManager, times.later))
        .thenThrows(NotPermitted('role-not-permitted'));
    }
  });

  it('lets the lead withdraw an adult referral', () => {
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.withdrawReferral(), at(londonLead, times.later))
      .thenEvents(([event]) => expect(event.type).toBe('ReferralWithdrawn'));
  });
});

describe('competent authority allocation by nationality (wrong-competent-authority)', () => {
  const ukvi: Actor = { ...ca, userId: 'ukvi-1', agency: 'uk-visas-and-immigration' };
  const central = NRM_CENTRAL_2015;

  it.each([
    ['an EEA national (Romania)', 'ROU', undefined, 'uk-human-trafficking-centre', 'eea-national'],
    ['a British national', 'GBR', undefined, 'uk-human-trafficking-centre', 'eea-national'],
    ['a Norwegian (EEA, not EU)', 'NOR', undefined, 'uk-human-trafficking-centre', 'eea-national'],
    ['a Vietnamese national', 'VNM', undefined, 'uk-visas-and-immigration', 'non-eea-national'],
    ['a Swiss national (not EEA)', 'CHE', undefined, 'uk-visas-and-immigration', 'non-eea-national'],
    ['a stateless person', 'XXA', undefined, 'uk-visas-and-immigration', 'non-eea-national'],
    ['a dual Albanian and Italian national', 'ALB', 'ITA', 'uk-human-trafficking-centre', 'eea-national'],
  ] as const)(
    'allocates %s to %s with the referral',
    (_, nationality, secondNationality, competentAuthority, basis) => {
      const base = londonReferralData();
      const subject = { ...base.subject, nationality, ...(secondNationality ? { secondNationality } : {}) };
      sut
        .given([])
        .when(commands.raiseReferral({ ...base, subject }), at(londonLead, times.raisedAt))
        .thenEvents((events) => {
          expect(events.map((event) => event.type)).toEqual(['ReferralRaised', 'CompetentAuthorityAllocated']);
          expect(events[1]!.data).toEqual({
            caseId: ids.caseId,
            allocatedAt: times.raisedAt,
            competentAuthority,
            basis,
          });
        });
    },
  );

  it('allocates nothing on the pilot route, where the panel decides', () => {
    sut
      .given([])
      .when(commands.raiseReferral(), at(lead, times.raisedAt))
      .thenEvents((events) => expect(events.map((event) => event.type)).toEqual(['ReferralRaised']));
  });

  it('folds the allocation into the case file', () => {
    const state = centralHistoryIn.referred().reduce(evolveCase, initialCaseState());
    expect(state.status !== 'none' && caseFileOf(state).competentAuthority).toBe('uk-human-trafficking-centre');
  });

  // Every state of the central route, every command the competent authority may issue in it: the
  // authority the case is not allocated to is refused by name, the allocated one is not.
  for (const [status, history] of Object.entries(centralHistoryIn)) {
    const state = history().reduce(evolveCase, initialCaseState());
    if (state.status === 'none') continue;
    const commandsForCa = Object.entries(central.commands[state.status])
      .filter(([, roles]) => roles?.includes('competent-authority'))
      .map(([command]) => command as CaseCommandType);
    it(`in ${status}: refuses UKVI on an EEA national's case, lets the UKHTC act (${commandsForCa.join(', ') || 'no commands'})`, () => {
      for (const command of commandsForCa) {
        expect(refusalFor(central, state, command, ukvi)).toMatchObject({ rule: 'wrong-competent-authority' });
        const refused = refusalFor(central, state, command, ca);
        expect(refused instanceof RuleBrokenError && refused.rule === 'wrong-competent-authority').toBe(false);
      }
    });
  }

  it('refuses the wrong authority through decide, naming the rule', () => {
    sut
      .given(centralHistoryIn.referred())
      .when(commands.makeReasonableGroundsDecision('positive'), at(ukvi, times.assessedAt))
      .thenThrows(RuleBroken('wrong-competent-authority'));
    sut
      .given(centralHistoryIn.recovery())
      .when(commands.recordCompetentAuthorityDecision('positive'), at(ukvi, times.decidedAt))
      .thenThrows(RuleBroken('wrong-competent-authority'));
  });

  it('lets UKVI decide a non-EEA national’s case, and refuses the UKHTC there', () => {
    const base = londonReferralData();
    const raised = decideCase(
      commands.raiseReferral({ ...base, subject: { ...base.subject, nationality: 'VNM' } }),
      initialCaseState(),
      at(londonLead, times.raisedAt),
    );
    sut
      .given(raised)
      .when(commands.makeReasonableGroundsDecision('positive'), at(ukvi, times.assessedAt))
      .thenEvents(([event]) => expect(event.data).toMatchObject({ agency: 'uk-visas-and-immigration' }));
    sut
      .given(raised)
      .when(commands.makeReasonableGroundsDecision('positive'), at(ca, times.assessedAt))
      .thenThrows(RuleBroken('wrong-competent-authority'));
  });

  it('lets any competent authority act on a central case recorded before allocation', () => {
    const [referralOnly] = centralHistoryIn.referred();
    sut
      .given([referralOnly!])
      .when(commands.makeReasonableGroundsDecision('positive'), at(ukvi, times.assessedAt))
      .thenEvents(([event]) => expect(event.type).toBe('ReasonableGroundsDecisionMade'));
  });
});

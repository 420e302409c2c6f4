import { ephemeralPrivacyConfig } from '@harbour/privacy';
import { SqliteEventStore, type RecordedEvent } from '@harbour/event-store';
import { SqliteReadStore } from '@harbour/read-store';
import { EventSchemaRegistry, LetterStore, createPersonalDataProtector } from '@harbour/application';
import {
  decodeEvent,
  decideMeeting,
  evolveMeeting,
  initialMeetingState,
  type MeetingEvent,
  type MeetingState,
} from '@harbour/domain';
import { SYNTHETIC_REFERRALS_CONFIG, seedSyntheticReferrals } from '../src';

const schemas = new EventSchemaRegistry();

describe('the synthetic generator’s panel meetings and letters', () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  const readStore = new SqliteReadStore({ filename: ':memory:' });
  const letters = new LetterStore(':memory:');
  let seeded: Awaited<ReturnType<typeof seedSyntheticReferrals>>;
  const events: RecordedEvent[] = [];

  beforeAll(async () => {
    const personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
    seeded = await seedSyntheticReferrals(
      { store, readStore, schemas, personalData, letters },
      // Pilot regions are about 12% of referrals: 2,500 give a few hundred panel hearings.
      { cases: 2500, seed: 'meetings-spec', from: '2025-07-01T00:00:00Z', to: '2026-09-30T23:59:59Z' },
    );
    for await (const event of store.readAll()) events.push(event);
  }, 600_000);

  afterAll(async () => {
    letters.close();
    await readStore.close();
    await store.close();
  });

  const meetingStreams = () => {
    const streams = new Map<string, RecordedEvent[]>();
    for (const event of events.filter((e) => e.stream.startsWith('panel-meeting-'))) {
      streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);
    }
    return streams;
  };

  it('schedules meetings per pilot panel every two weeks, several cases on each agenda, and every meeting folds', () => {
    expect(seeded.refused).toEqual({});
    const streams = meetingStreams();
    expect(streams.size).toBeGreaterThan(40);
    const byPanel = new Map<string, string[]>();
    let agendaItems = 0;
    for (const [stream, recorded] of streams) {
      // Folds, and each event is one the decider would give again from the state before it.
      let state: MeetingState = initialMeetingState();
      for (const stored of recorded) {
        const event = decodeEvent<MeetingEvent>(stored);
        state = evolveMeeting(state, event);
      }
      expect([stream, state.status === 'none']).toEqual([stream, false]);
      if (state.status === 'none') continue;
      byPanel.set(state.panelId, [...(byPanel.get(state.panelId) ?? []), state.meetingAt]);
      agendaItems += state.agenda.length;
      if (Date.parse(state.meetingAt) + 6 * 3600_000 <= Date.parse('2026-09-30T23:59:59Z')) {
        // Minuted: the chair approved the minutes, so no item is left without an outcome.
        expect([stream, state.status]).toEqual([stream, 'minuted']);
        expect(state.agenda.filter((item) => item.status === 'on-agenda')).toEqual([]);
        // Nothing more can be recorded on it.
        expect(() =>
          decideMeeting({ type: 'ApproveMinutes', meetingId: state.meetingId, data: { minutes: 'Again' } }, state, {
            actor: { userId: state.chairId, role: 'panel-chair', agency: 'x', region: 'x', panels: [] },
            now: state.meetingAt,
            rules: {},
          }),
        ).toThrow(/minutes are approved/);
      }
    }
    expect([...byPanel.keys()].sort()).toEqual(['south-west-panel', 'west-yorkshire-panel']);
    for (const [, times] of byPanel) {
      const sorted = times.map((t) => Date.parse(t)).sort((a, b) => a - b);
      const gaps = sorted.slice(1).map((t, i) => (t - sorted[i]) / 86_400_000);
      // A fortnightly cadence (brief §3b: every 2–3 weeks); a gap only where no case was ready.
      expect(gaps.every((gap) => gap >= 14 && gap % 14 === 0)).toBe(true);
      expect(gaps.filter((gap) => gap === 14).length / gaps.length).toBeGreaterThan(0.8);
    }
    expect(agendaItems / streams.size).toBeGreaterThan(2);
  });

  it('defers and adjourns hearings at the configured rates (one in ten, one in twenty-five), relisting each to a later meeting', () => {
    const outcomes = events
      .filter((event) => event.type === 'MeetingCaseOutcomeRecorded')
      .map((event) => event.data as { caseId: string; outcome: string; recordedAt: string });
    expect(outcomes.length).toBeGreaterThan(200);
    // At the configured rates, within three standard errors of the few hundred hearings seeded.
    for (const [outcome, rate] of [
      ['deferred', SYNTHETIC_REFERRALS_CONFIG.meetingDeferred],
      ['adjourned', SYNTHETIC_REFERRALS_CONFIG.meetingAdjourned],
    ] as const) {
      const share = outcomes.filter((o) => o.outcome === outcome).length / outcomes.length;
      const standardError = Math.sqrt((rate * (1 - rate)) / outcomes.length);
      expect([outcome, Math.abs(share - rate) < 3 * standardError]).toEqual([outcome, true]);
    }
    // Each put-off case is relisted to, and heard at, a later meeting (unless the period ended).
    const putOff = outcomes.filter((o) => o.outcome !== 'decided');
    expect(putOff.length).toBeGreaterThan(20);
    let heardLater = 0;
    for (const first of putOff) {
      const later = outcomes.filter((o) => o.caseId === first.caseId && o.recordedAt > first.recordedAt);
      if (later.length > 0) heardLater += 1;
    }
    expect(heardLater / putOff.length).toBeGreaterThan(0.8);
    // The case says which meeting decided it.
    const decidedAtMeetings = events.filter(
      (event) =>
        event.type === 'DecisionRecorded' &&
        (event.data.decidedBy as { kind: string; meetingId?: string }).kind === 'panel',
    );
    expect(decidedAtMeetings.length).toBe(outcomes.filter((o) => o.outcome === 'decided').length);
  });

  it('issues a decision letter for every decision, through the letters process manager', () => {
    const decisions = events.filter((event) =>
      ['LeadAssessmentRecorded', 'ReasonableGroundsDecisionMade', 'DecisionRecorded', 'SecondReviewCompleted'].includes(
        event.type,
      ),
    );
    const issued = events.filter((event) => event.type === 'DecisionLetterIssued');
    expect(decisions.length).toBeGreaterThan(1000);
    expect(seeded.letters).toBe(issued.length);
    expect(issued.length).toBe(decisions.length);
  });
});

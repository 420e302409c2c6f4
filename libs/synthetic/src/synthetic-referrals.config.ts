import type { AgeGroup, FirstResponderType, Gender, Region } from '@harbour/domain';

/** A log-normal waiting time in days: half are shorter than `medianDays`; `sigma` widens the tail. */
export interface Wait {
  readonly medianDays: number;
  readonly sigma: number;
}

/** Exploitation types reported together, joined by `+` in the vocabulary's order (`labour+criminal`). */
export type ExploitationCombination = string;

/**
 * What the synthetic referral generator draws from. Shares are weights (they need not sum to 1).
 * The figures follow the published NRM statistics quoted in `domain-brief.md` §6–§7 where they
 * exist, and are stated assumptions where they do not; each says which.
 */
export interface SyntheticReferralsConfig {
  /**
   * Age at exploitation. 2023: 44% child, 51% adult, the rest not specified (brief §7, [32]).
   */
  readonly ageAtExploitation: Readonly<Record<AgeGroup, number>>;
  /** Share of those exploited as children who are adults by the time they are referred (assumption). */
  readonly childNowAdult: number;
  /** Gender. 2023: 24% female (brief §7, [32]); "other" a small assumed share. */
  readonly gender: Readonly<Record<Gender, number>>;
  /**
   * Exploitation types and combinations, by age at exploitation (an unknown age draws from the
   * adults'). Modelled on the published pattern (brief §6, [42][43]): labour the largest adult
   * category, criminal exploitation (county lines) the largest for children, and a minority of
   * combined types. The exact shares are assumptions.
   */
  readonly exploitation: Readonly<Record<'adult' | 'child', Readonly<Record<ExploitationCombination, number>>>>;
  /** First responder organisation type (brief §6 categories; shares an assumption close to recent years). */
  readonly firstResponderType: Readonly<Record<FirstResponderType, number>>;
  /**
   * Region of the referral. London the largest (assumption from recent years' police force data);
   * the two pilot regions together about 12%.
   */
  readonly region: Readonly<Record<Region, number>>;
  /** Positive share of the first gate (lead assessment or reasonable grounds): 2024, 53% (brief §7, [34]). */
  readonly firstGatePositive: number;
  /** Positive share of conclusive decisions: 2024, 56% (brief §7, [34]). */
  readonly conclusivePositive: number;
  /** Share of negative conclusive decisions overturned on second review (assumption). */
  readonly reviewOverturned: number;
  /** Share of negative outcomes (first gate, or upheld conclusive) that are reconsidered, once (assumption). */
  readonly reconsidered: number;
  /** Share of adults who withdraw, at some point while the case is open (assumption). */
  readonly adultsWithdrawing: number;
  /** Share of cases suspended once (the person missing), and the share of those resumed (assumptions). */
  readonly suspended: number;
  readonly suspendedResumed: number;
  /** Share of cases with an information request during recovery (assumption). */
  readonly informationRequested: number;
  /** Share of cases with immediate support arranged on referral: the pilot's promise, and elsewhere. */
  readonly immediateSupport: { readonly pilot: number; readonly central: number };
  /** Share of pilot listings that are urgent (short notice). */
  readonly urgentListing: number;
  /** Share of panel sittings where one member declares a conflict. */
  readonly panelConflict: number;
  /**
   * Share of a panel's hearings of a case that defer it to the next meeting (more information
   * needed) and that adjourn it (time ran out), each at most twice per listing. The sources give
   * no rates (assumption: about one case in ten deferred, one in twenty-five adjourned).
   */
  readonly meetingDeferred: number;
  readonly meetingAdjourned: number;
  /** Days between panel meetings (the pilot met every 2–3 weeks, brief §3b, [5]). */
  readonly panelIntervalDays: number;
  /**
   * Waiting times. The reasonable grounds decision: mean 15 days in 2022 and 56 days in 2023
   * against a 5-working-day target (brief §4, [40]); the pilot's leads were faster (RR94: "RG
   * decisions made faster", brief §3b). Conclusive decisions: a median of 526 days from referral in
   * 2023 (brief §7, [39]) on the central route, shortened here so that a seed of a year or two
   * shows decisions as well as a backlog; the pilot's panels decide at the first meeting after
   * the recovery period and some preparation.
   */
  readonly waits: {
    readonly pilotAssessment: Wait;
    readonly centralReasonableGrounds: Wait;
    /** From the end of the recovery period to the conclusive decision (central route). */
    readonly centralConclusive: Wait;
    /** From the end of the recovery period to listing, less the notice (pilot). */
    readonly pilotPreparation: Wait;
    readonly secondReview: Wait;
    readonly reconsiderationRequest: Wait;
    readonly closure: Wait;
    /** From the request to the answer (10 working days allowed). */
    readonly informationAnswer: Wait;
    /** From the referral to an adult's withdrawal. */
    readonly withdrawal: Wait;
    /** How long a suspension lasts before the case resumes or is closed. */
    readonly suspension: Wait;
  };
}

export const SYNTHETIC_REFERRALS_CONFIG: SyntheticReferralsConfig = {
  ageAtExploitation: { adult: 0.51, child: 0.44, unknown: 0.05 },
  childNowAdult: 0.2,
  gender: { male: 0.75, female: 0.24, other: 0.01 },
  exploitation: {
    adult: {
      labour: 0.36,
      sexual: 0.16,
      criminal: 0.14,
      'domestic-servitude': 0.08,
      'labour+criminal': 0.06,
      'labour+sexual': 0.03,
      'sexual+criminal': 0.02,
      'labour+domestic-servitude': 0.02,
      'organ-harvesting': 0.005,
      'not-specified': 0.125,
    },
    child: {
      criminal: 0.55,
      sexual: 0.09,
      labour: 0.05,
      'sexual+criminal': 0.07,
      'labour+criminal': 0.04,
      'domestic-servitude': 0.01,
      'not-specified': 0.19,
    },
  },
  firstResponderType: { 'government-agency': 0.46, police: 0.27, 'local-authority': 0.2, ngo: 0.07 },
  region: {
    london: 0.22,
    'north-west': 0.12,
    'south-east': 0.11,
    'west-midlands': 0.1,
    east: 0.08,
    'south-west': 0.07,
    'east-midlands': 0.07,
    'west-yorkshire': 0.05,
    'yorkshire-and-the-humber': 0.05,
    'north-east': 0.04,
    wales: 0.04,
    scotland: 0.03,
    'northern-ireland': 0.02,
  },
  firstGatePositive: 0.53,
  conclusivePositive: 0.56,
  reviewOverturned: 0.1,
  reconsidered: 0.15,
  adultsWithdrawing: 0.04,
  suspended: 0.03,
  suspendedResumed: 0.7,
  informationRequested: 0.2,
  immediateSupport: { pilot: 0.9, central: 0.5 },
  urgentListing: 0.03,
  panelConflict: 0.05,
  meetingDeferred: 0.1,
  meetingAdjourned: 0.04,
  panelIntervalDays: 14,
  waits: {
    pilotAssessment: { medianDays: 3, sigma: 0.7 },
    centralReasonableGrounds: { medianDays: 12, sigma: 1 },
    centralConclusive: { medianDays: 150, sigma: 0.7 },
    pilotPreparation: { medianDays: 10, sigma: 0.6 },
    secondReview: { medianDays: 14, sigma: 0.5 },
    reconsiderationRequest: { medianDays: 10, sigma: 0.5 },
    closure: { medianDays: 14, sigma: 0.6 },
    informationAnswer: { medianDays: 9, sigma: 0.6 },
    withdrawal: { medianDays: 60, sigma: 0.9 },
    suspension: { medianDays: 30, sigma: 0.6 },
  },
};

import type { EventStore } from '@harbour/event-store';
import { ProjectionRunner, STATISTICS } from '@harbour/projections';
import type { ReadStore } from '@harbour/read-store';
import { buildReport, type Report, type Typology } from './report-builder';
import type { ReportPeriod } from './report-period';
import { renderReport, writeNewVersion } from './report-output';
import { revisionsSince } from './revisions';
import { meetingFactsAt } from './meeting-facts';
import { statisticsFactsAt, type FactsSource } from './statistics-facts';

export interface ReportJobOptions {
  readonly period: ReportPeriod;
  readonly out: string;
  /** Pin to this global position; by default the statistics projection is caught up and its checkpoint used. */
  readonly position?: bigint;
  readonly threshold: number;
  readonly typology?: Typology;
}

export interface ReportJobResult {
  readonly dir: string;
  readonly report: Report;
  readonly source: FactsSource;
}

/** The reporting job: figures at a position, rendered, written to a new version folder. */
export async function runReportJob(
  stores: { readonly eventStore: EventStore; readonly readStore: ReadStore },
  options: ReportJobOptions,
): Promise<ReportJobResult> {
  let position = options.position;
  if (position !== undefined && position >= 0n) {
    // A position typed by hand must be an event's: the store refuses any other (InvalidPositionError).
    for await (const _ of stores.eventStore.readAll({ fromPosition: position, maxCount: 1 })) break;
  }
  if (position === undefined) {
    await new ProjectionRunner(stores.eventStore, stores.readStore, STATISTICS).catchUp();
    position = (await stores.readStore.checkpoint(STATISTICS.name))?.position ?? -1n;
  }
  const { facts, source } = await statisticsFactsAt(stores.eventStore, stores.readStore, position);
  const meetings = await meetingFactsAt(stores.eventStore, stores.readStore, position);
  const report = await buildReport(facts, options.period, {
    position,
    meetings,
    threshold: options.threshold,
    typology: options.typology,
  });
  const files = await renderReport(report, revisionsSince(options.out, report));
  return { dir: writeNewVersion(options.out, options.period.label, files), report, source };
}

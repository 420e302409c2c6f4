// The case read models: pure table specs and folds, the projection that runs them, and the
// dialect-free queries and DTO mappers the API serves them with.
export * from './case-read-models.projection';
export * from './duty-to-notify/duty-to-notify.read-model';
export * from './case-status/case-status.read-model';
export * from './case-status/case-summary.dto';
export * from './case-status/case-list.query';
export * from './decision-history/decision-history.read-model';
export * from './decision-history/decision-record.dto';
export * from './panel-schedule/panel-schedule.read-model';
export * from './panel-schedule/panel-schedule.dto';
export * from './panel-schedule/panel-schedule.query';
export * from './panel-schedule/meeting-agenda.query';
export * from './shared/read-model.errors';
export * from './deadlines/deadlines.read-model';
export * from './statistics/case-statistics.read-model';
export * from './statistics/statistics-subject.adapter';

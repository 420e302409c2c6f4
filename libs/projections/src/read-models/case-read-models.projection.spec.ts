import { CASE_EVENT_TYPES } from '@harbour/domain';
import { handledEventTypes } from '../projection';
import { findProjection, PROJECTIONS } from '../registry';
import { CASE_READ_MODELS } from './case-read-models.projection';

describe('CASE_READ_MODELS', () => {
  it('projects case_status, decision_history and panel_schedule, parking what fails', () => {
    expect(CASE_READ_MODELS).toMatchObject({ name: 'case-read-models', version: 3, onFailure: 'park' });
    expect(CASE_READ_MODELS.readModels.map((model) => model.table)).toEqual([
      'case_status',
      'decision_history',
      'panel_schedule',
    ]);
  });

  it('reads only case events', () => {
    expect(handledEventTypes(CASE_READ_MODELS).sort()).toEqual([...CASE_EVENT_TYPES].sort());
  });

  it('describes every model as a table the read store can create: keys and indexes name columns', () => {
    for (const model of CASE_READ_MODELS.readModels) {
      const columns = Object.keys(model.columns);
      expect(model.table).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const column of columns) expect(column).toMatch(/^[a-z][a-z0-9_]*$/);
      // The runner adds last_position itself.
      expect(columns).not.toContain('last_position');
      expect(columns).toEqual(expect.arrayContaining([...model.key, 'revision']));
      for (const column of model.key) expect(model.columns[column].nullable).toBeFalsy();
      for (const index of model.indexes ?? []) expect(columns).toEqual(expect.arrayContaining([...index]));
    }
  });
});

describe('registry', () => {
  it('holds the case read models, found by name', () => {
    expect(PROJECTIONS).toContain(CASE_READ_MODELS);
    expect(findProjection('case-read-models')).toBe(CASE_READ_MODELS);
    expect(findProjection('case-read-model')).toBeUndefined();
  });

  it('has unique projection names and table names', () => {
    const names = PROJECTIONS.map((projection) => projection.name);
    const tables = PROJECTIONS.flatMap((projection) => projection.readModels.map((model) => model.table));

    expect(new Set(names).size).toBe(names.length);
    expect(new Set(tables).size).toBe(tables.length);
  });
});

import { AUDIT_EVENT_TYPES } from '@harbour/domain';
import { handledEventTypes } from './projection';
import { PROJECTIONS } from './registry';

describe('projections and the read-access log', () => {
  it('handle no audit event, so CaseRecordViewed is never read, let alone parked', () => {
    for (const projection of PROJECTIONS) {
      const handled = handledEventTypes(projection);
      expect(handled.length).toBeGreaterThan(0);
      expect(handled.filter((type) => (AUDIT_EVENT_TYPES as readonly string[]).includes(type))).toEqual([]);
    }
  });
});

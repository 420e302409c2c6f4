import { InvalidCursorError } from '../shared/read-model.errors';
import { decodePanelScheduleCursor, encodePanelScheduleCursor } from './panel-schedule.query';

const ROW = { meeting_at: '2015-10-20T10:00:00.000Z', case_id: 'b3e1f6a2-6c1d-4c55-9d8e-2f3a4b5c6d7e' };
const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('panel schedule cursor', () => {
  it('points after the row it was made from', () => {
    expect(decodePanelScheduleCursor(encodePanelScheduleCursor({ ...ROW, panel_id: 'south-west-panel' }))).toEqual(ROW);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('meeting').toString('base64url')],
    ['another version', encode({ v: 2, k: [ROW.meeting_at, ROW.case_id] })],
    ['a key of one part', encode({ v: 1, k: [ROW.meeting_at] })],
    ['a time that is not canonical', encode({ v: 1, k: ['2015-10-20T10:00:00Z', ROW.case_id] })],
    ['an empty case id', encode({ v: 1, k: [ROW.meeting_at, ''] })],
    ['over the length limit', 'a'.repeat(513)],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodePanelScheduleCursor(cursor)).toThrow(InvalidCursorError);
  });
});

export * from './letter.store';
export * from './decision-letter.pdf';
export * from './correspondence.writer';
export * from './decision-letters.process-manager';
export * from './notification.sender';

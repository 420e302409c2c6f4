export * from './projection';
export * from './read-models';
export * from './registry';
export * from './runner';

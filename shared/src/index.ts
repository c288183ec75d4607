export * from './errors.js';
export * from './types.js';
export * from './api/auth.js';
export * from './api/users.js';
export * from './api/query.js';
export * from './api/datasources.js';
export * from './api/datasets.js';
export * from './api/reports.js';

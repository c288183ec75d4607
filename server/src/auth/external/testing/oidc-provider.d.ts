// oidc-provider ships no types (the community ones lag its releases); the tests use a few calls.
declare module 'oidc-provider';

/**
 * Build-time settings. `shulan miniprogram build --domain …` replaces this file's compiled
 * config.js, so a customer's package skips the domain page.
 */
export const BAKED_DOMAIN = '';

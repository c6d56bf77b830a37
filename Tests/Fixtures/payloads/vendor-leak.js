/* A vendor chunk preloaded by the page, with a hard-coded development Account Portal link. */
const DEV_OR_STAGING_SUFFIXES=[".lcl.dev",".accounts.lclclerk.com","accounts.dev"];const signIn="https://fuzzy-owl-12.accounts.dev/sign-in";export const c=e=>e,r=e=>e;

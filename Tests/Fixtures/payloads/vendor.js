/* A vendor chunk preloaded by the page: @clerk/shared's development suffix list and key helpers. */
const DEV_OR_STAGING_SUFFIXES=[".lcl.dev",".stg.dev",".lclstage.dev",".stgstage.dev",".dev.lclclerk.com",".stg.lclclerk.com",".accounts.lclclerk.com","accountsstage.dev","accounts.dev"],LEGACY_DEV_INSTANCE_SUFFIXES=[".lcl.dev",".lclstage.dev",".stg.dev",".stgstage.dev"];
const PUBLISHABLE_KEY_LIVE_PREFIX="pk_live_",PUBLISHABLE_KEY_TEST_PREFIX="pk_test_";function isDevelopmentFromSecretKey(e){return e.startsWith("test_")||e.startsWith("sk_test_")}
const stripe={publishableKey:"pk_live_51Hh2pLExampleStripeLiveKey00000000000000000000",note:"use sk_live_YOUR_SECRET_KEY on the server"};export const c=e=>e,r=e=>e;

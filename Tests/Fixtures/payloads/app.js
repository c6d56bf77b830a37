/* A production bundle: Clerk's SDK literals are here, as in every app that ships it. */
var p={"pk_test_":"development","pk_live_":"production"},d=[".accounts.dev",".lcl.dev","accounts.dev"];function k(e){return e.startsWith("pk_test_")}
var cfg={MODE:"production",VITE_CLERK_PUBLISHABLE_KEY:"pk_live_Y2xlcmsuZXhhbXBsZS50ZXN0JA",STRIPE:"pk_test_51H8xyzExampleNotAClerkKey"};

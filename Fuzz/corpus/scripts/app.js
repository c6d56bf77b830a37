/* The entry module of a Vite production build: Clerk's SDK literals are here, as in every app that ships it. */
import{c as C,r as R}from"./vendor.js";var p={"pk_test_":"development","pk_live_":"production"},d=[".accounts.dev",".lcl.dev","accounts.dev"];function k(e){return e.startsWith("pk_test_")}
var cfg={MODE:"production",VITE_CLERK_PUBLISHABLE_KEY:"__PUBLISHABLE_KEY__",STRIPE:"pk_test_51H8xyzExampleNotAClerkKey",VITE_STRIPE_SECRET_HINT:"sk_test_4eC39HqLyjWDarjtT1zdp7dc"};
const routes={"/account":()=>import("./lazy-page.js")};C(cfg);R(routes);

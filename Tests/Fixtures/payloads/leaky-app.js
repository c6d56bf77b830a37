var cfg={MODE:"production",VITE_CLERK_PUBLISHABLE_KEY:"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk"},s="https://fuzzy-owl-12.accounts.dev/sign-in",d=[".accounts.dev"];

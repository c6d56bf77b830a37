/* A lazily loaded route chunk built with a stale development env file. */
export default function AccountPage(){const k="pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk";return k}

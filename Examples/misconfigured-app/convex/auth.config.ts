import type { AuthConfig } from 'convex/server'

// Written against the development instance; never updated for production.
export default {
  providers: [{ domain: 'https://foo-bar-13.clerk.accounts.dev', applicationID: 'convex' }],
} satisfies AuthConfig

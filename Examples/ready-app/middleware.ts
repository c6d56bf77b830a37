import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

const isProtected = createRouteMatcher(['/account(.*)', '/orders(.*)'])

export default clerkMiddleware(
  async (auth, req) => {
    if (isProtected(req)) await auth.protect()
  },
  // Only sessions issued for the shop are accepted (Clerk's production checklist).
  { authorizedParties: ['https://shop.example.com'] },
)

export const config = { matcher: ['/((?!_next|.*\\..*).*)', '/(api|trpc)(.*)'] }

import { clerkMiddleware } from '@clerk/nextjs/server'

// Copied from the quickstart: fine in development, but any Clerk-issued token is accepted.
export default clerkMiddleware()

export const config = { matcher: ['/((?!_next|.*\\..*).*)', '/(api|trpc)(.*)'] }

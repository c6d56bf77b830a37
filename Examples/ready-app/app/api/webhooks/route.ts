import { verifyWebhook } from '@clerk/nextjs/webhooks'

// Reads CLERK_WEBHOOK_SIGNING_SECRET: the production endpoint's own secret.
export async function POST(req: Request) {
  const event = await verifyWebhook(req)
  if (event.type === 'user.created') {
    // create the customer record
  }
  return new Response('ok')
}

import { verifyWebhook } from '@clerk/nextjs/webhooks'

export async function POST(req: Request) {
  const event = await verifyWebhook(req)
  return new Response(event.type)
}

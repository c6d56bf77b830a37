// The database reads Clerk's session token made from the 'supabase' template.
export async function databaseToken(getToken: (options: { template: string }) => Promise<string | null>) {
  return getToken({ template: 'supabase' })
}

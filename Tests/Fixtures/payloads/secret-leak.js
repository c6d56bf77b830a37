/* A lazily loaded route chunk that imported a server module. */
const clerk=createClerkClient({secretKey:"sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9"});export default function AccountPage(){return clerk}

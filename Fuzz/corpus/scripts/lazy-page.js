/* A lazily loaded route chunk. */
export default function AccountPage(){return"Manage your account at https://accounts.__HOST__/user"}

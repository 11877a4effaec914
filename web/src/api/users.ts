import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { RoleEnum } from "../../../worker/auth/schemas";
import type {
  ChangeRoleBody,
  CreatedInvitation,
  Invitation,
  InvitationList,
  InviteBody,
  User,
  UserList,
} from "../../../worker/users/schemas";
import { request, requestEmpty } from "./client";
import { formText } from "./form";

export type Role = z.output<typeof RoleEnum>;
export type Member = z.output<typeof User>;
export type PendingInvitation = z.output<typeof Invitation>;
export type NewInvitation = z.output<typeof CreatedInvitation>;
type InvitableRole = z.input<typeof InviteBody>["role"] & string;

/** What each role may do; typed so a role added on the server must be described here. */
export const roleDescriptions = {
  owner: "Everything, including managing owners",
  admin: "Manage members, invitations, keys and rules",
  member: "See all traces and create API keys",
  viewer: "Read-only; sees the traces they sent",
} satisfies Record<Role, string>;

export const invitableRoles = ["admin", "member", "viewer"] as const satisfies readonly InvitableRole[];

export const isRole = (v: unknown): v is Role => typeof v === "string" && Object.hasOwn(roleDescriptions, v);
const isInvitableRole = (v: unknown): v is InvitableRole => invitableRoles.some((role) => role === v);

export const isAdmin = (role: Role | undefined) => role === "owner" || role === "admin";

const path = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;

export const listMembers = query(() => request<z.output<typeof UserList>>("GET", "/api/v1/users"), "members");

export const listInvitations = query(
  () => request<z.output<typeof InvitationList>>("GET", "/api/v1/users/invitations"),
  "invitations",
);

export const changeRole = action(async (id: string, form: FormData) => {
  const role = formText(form, "role");
  if (!isRole(role)) throw new Error(`Unknown role "${role}"`);
  const body: z.input<typeof ChangeRoleBody> = { role };
  await request<Member>("PATCH", path(id), body);
  return json(null, { revalidate: listMembers.key });
}, "change-role");

export const removeMember = action(async (id: string) => {
  await requestEmpty("DELETE", path(id));
  return json(null, { revalidate: listMembers.key });
}, "remove-member");

export const invite = action(async (form: FormData) => {
  const role = formText(form, "role");
  const body: z.input<typeof InviteBody> = {
    email: formText(form, "email"),
    role: isInvitableRole(role) ? role : undefined,
  };
  const created = await request<NewInvitation>("POST", "/api/v1/users/invitations", body);
  return json(created, { revalidate: listInvitations.key });
}, "invite");

export const revokeInvitation = action(async (id: string) => {
  await requestEmpty("DELETE", `/api/v1/users/invitations/${encodeURIComponent(id)}`);
  return json(null, { revalidate: listInvitations.key });
}, "revoke-invitation");

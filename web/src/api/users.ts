import type { z } from "@hono/zod-openapi";
import { action, json, query } from "@solidjs/router";
import type { RoleEnum } from "../../../worker/auth/schemas";
import type {
  ChangeRoleBody,
  CreatedInvitation,
  Invitation,
  InviteBody,
  User,
} from "../../../worker/users/schemas";
import { api, done, ok } from "./client";
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

export const listMembers = query(() => ok(api.users.$get()), "members");

export const listInvitations = query(() => ok(api.users.invitations.$get()), "invitations");

export const changeRole = action(async (id: string, form: FormData) => {
  const role = formText(form, "role");
  if (!isRole(role)) throw new Error(`Unknown role "${role}"`);
  const body: z.input<typeof ChangeRoleBody> = { role };
  await ok(api.users[":id"].$patch({ param: { id }, json: body }));
  return json(null, { revalidate: listMembers.key });
}, "change-role");

export const removeMember = action(async (id: string) => {
  await done(api.users[":id"].$delete({ param: { id } }));
  return json(null, { revalidate: listMembers.key });
}, "remove-member");

export const invite = action(async (form: FormData) => {
  const role = formText(form, "role");
  const body: z.input<typeof InviteBody> = {
    email: formText(form, "email"),
    role: isInvitableRole(role) ? role : undefined,
  };
  const created = await ok(api.users.invitations.$post({ json: body }));
  return json(created, { revalidate: listInvitations.key });
}, "invite");

export const revokeInvitation = action(async (id: string) => {
  await done(api.users.invitations[":id"].$delete({ param: { id } }));
  return json(null, { revalidate: listInvitations.key });
}, "revoke-invitation");

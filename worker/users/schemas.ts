import { z } from "@hono/zod-openapi";
import { RoleEnum } from "../auth/schemas";

export const InviteBody = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    role: z.enum(["admin", "member", "viewer"]).default("member"),
  })
  .openapi("InviteBody");

export const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleEnum,
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    accepted_at: z.iso.datetime().nullable(),
  })
  .openapi("Invitation");

export const CreatedInvitation = Invitation.extend({
  token: z.string().openapi({ description: "Single-use token; shown only here" }),
  accept_url: z.url().openapi({ description: "Link to hand to the invitee (no mail is sent)" }),
}).openapi("CreatedInvitation");

export const User = z
  .object({ id: z.string(), email: z.string(), role: RoleEnum, created_at: z.iso.datetime() })
  .openapi("User");

export const UserList = z
  .object({ data: z.array(User), next_cursor: z.string().nullable() })
  .openapi("UserList");
export const InvitationList = z
  .object({ data: z.array(Invitation), next_cursor: z.string().nullable() })
  .openapi("InvitationList");
export const ChangeRoleBody = z.object({ role: RoleEnum }).openapi("ChangeRoleBody");

export type InviteBody = z.output<typeof InviteBody>;
export type User = z.output<typeof User>;
export type Invitation = z.output<typeof Invitation>;

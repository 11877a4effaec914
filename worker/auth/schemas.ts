import { z } from "@hono/zod-openapi";
import {
  emailName,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
  personalPasswordProblem,
} from "../lib/password-strength";

export const RoleEnum = z.enum(["owner", "admin", "member", "viewer"]).openapi("Role");

const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase())
  .openapi({ example: "ada@example.com" });
const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200)
  .superRefine((password, ctx) => {
    // A short password already has its message.
    const problem = password.length < MIN_PASSWORD_LENGTH ? null : passwordProblem(password);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({ description: "At least 10 characters; common passwords and easy patterns are refused" });

export const SignupBody = z
  .object({
    tenant_name: z.string().trim().min(1).max(100).openapi({ example: "Acme AI" }),
    email: Email,
    password: Password,
  })
  .superRefine((body, ctx) => {
    const problem = personalPasswordProblem(body.password, [emailName(body.email), body.tenant_name]);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  })
  .openapi("SignupBody");

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1).max(200) })
  .openapi("LoginBody");

export const AcceptInvitationBody = z
  .object({ token: z.string().min(10).max(200), password: Password })
  .openapi("AcceptInvitationBody");

export const Me = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), role: RoleEnum }),
    tenant: z.object({ id: z.string(), name: z.string() }),
    csrf_token: z.string().openapi({
      description: "Send as X-CSRF-Token on cookie-authenticated POST/PATCH/DELETE requests",
    }),
  })
  .openapi("Me");

export type SignupBody = z.output<typeof SignupBody>;
export type LoginBody = z.output<typeof LoginBody>;
export type AcceptInvitationBody = z.output<typeof AcceptInvitationBody>;
export type Me = z.output<typeof Me>;

// A sales assistant sent through the native ingest API: look the customer up in the CRM, quote,
// email the quote. One conversation fails because the email bounces.

import { randomUUID } from "node:crypto";
import { between, iso, layout, llm, MINUTE, shortId, step, tool } from "./tree.mjs";

export const AGENT = "sales-assistant";

const CONVERSATIONS = [
  {
    rep: "rep_maria",
    request: "Send Globex a quote for 40 Pro seats with the annual discount.",
    account: {
      account_id: "acc_1042",
      name: "Globex Corporation",
      tier: "enterprise",
      seats: 25,
      owner: "maria@audittrail.local",
    },
    contact: "procurement@globex.example",
    items: [{ sku: "PRO-SEAT-ANNUAL", quantity: 40, unit_price: 480 }],
    discountPct: 15,
  },
  {
    rep: "rep_kenji",
    request: "Initech wants 10 Team seats and the onboarding package, can you quote and email them?",
    account: {
      account_id: "acc_2210",
      name: "Initech",
      tier: "growth",
      seats: 4,
      owner: "kenji@audittrail.local",
    },
    contact: "bill.lumbergh@initech.example",
    items: [
      { sku: "TEAM-SEAT-MONTHLY", quantity: 10, unit_price: 39 },
      { sku: "ONBOARDING-STD", quantity: 1, unit_price: 1500 },
    ],
    discountPct: 0,
  },
  {
    rep: "rep_maria",
    request: "Quote Umbrella Corp 200 Enterprise seats, 3-year term, and send it to their CTO.",
    account: {
      account_id: "acc_0007",
      name: "Umbrella Corporation",
      tier: "enterprise",
      seats: 120,
      owner: "maria@audittrail.local",
    },
    contact: "cto@umbrella-corp.invalid",
    items: [{ sku: "ENT-SEAT-3Y", quantity: 200, unit_price: 1250 }],
    discountPct: 22,
    bounce: true,
  },
];

export function salesBatches(now) {
  return CONVERSATIONS.map((c, i) => conversationBatch(c, now - (48 - i * 15) * MINUTE - between(0, 60_000)));
}

function conversationBatch(c, startMs) {
  const traceId = `sales-${randomUUID()}`;
  const quote = quoteFor(c);
  const reply = c.bounce
    ? `I created quote ${quote.quote_id} for ${c.account.name}, but the email to ${c.contact} bounced. Can you confirm their address?`
    : `Done: quote ${quote.quote_id} for ${c.account.name} (${money(quote.total)}) is on its way to ${c.contact}.`;
  const { spans, endMs } = layout(traceId, startMs, conversation(c, quote, reply));
  const trace = {
    id: traceId,
    agent: AGENT,
    name: "quote_request",
    started_at: iso(startMs),
    ended_at: iso(endMs),
    status: c.bounce ? "error" : "ok",
    input: { message: c.request },
    output: { message: reply },
    user_id: c.rep,
    session_id: `crm-chat-${shortId()}`,
    tags: ["sales", "quote", c.account.tier],
    metadata: { crm: "salesforce", channel: "slack", account_id: c.account.account_id },
  };
  return [{ traces: [trace], spans }];
}

function conversation(c, quote, reply) {
  const email = {
    to: c.contact,
    subject: `Your AuditTrail quote ${quote.quote_id}`,
    body: `Hi,\n\nPlease find quote ${quote.quote_id} (${money(quote.total)}) attached. It is valid until ${quote.valid_until}.\n\nBest regards`,
    attachments: [`${quote.quote_id}.pdf`],
  };
  const bounce = { type: "SmtpBounce", message: `550 5.1.1 <${c.contact}>: recipient address rejected` };
  const outcome = c.bounce
    ? { status: "error", error: { type: "QuoteNotDelivered", message: bounce.message } }
    : {};
  return step(
    "agent",
    "sales_assistant",
    { input: { message: c.request }, output: { message: reply }, ...outcome },
    [
      llm("understand_request", {
        model: "gpt-4o-mini",
        provider: "openai",
        system: "You are a sales assistant with CRM, quoting and email tools.",
        prompt: c.request,
        completion: `Calling crm_lookup for "${c.account.name}", then create_quote and send_email.`,
      }),
      tool("crm_lookup", { company: c.account.name }, c.account, { ms: between(120, 400) }),
      tool(
        "create_quote",
        { account_id: c.account.account_id, items: c.items, discount_pct: c.discountPct, currency: "USD" },
        quote,
      ),
      tool(
        "send_email",
        email,
        { message_id: `msg_${shortId()}`, status: "queued" },
        c.bounce ? { error: bounce } : {},
      ),
      llm("reply", {
        model: "gpt-4o",
        provider: "openai",
        prompt: `Tool results: quote ${quote.quote_id} created; send_email ${c.bounce ? "failed: bounced" : "queued"}. Reply to the rep.`,
        completion: reply,
      }),
    ],
  );
}

function quoteFor(c) {
  const subtotal = c.items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0);
  return {
    quote_id: `Q-2025-${between(1000, 9999)}`,
    subtotal,
    discount_pct: c.discountPct,
    total: Math.round(subtotal * (1 - c.discountPct / 100)),
    currency: "USD",
    valid_until: new Date(Date.now() + 30 * 24 * 60 * MINUTE).toISOString().slice(0, 10),
  };
}

const money = (n) => `$${n.toLocaleString("en-US")}`;

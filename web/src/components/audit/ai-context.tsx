import { type Component, Show } from "solid-js";
import type { AuditEvent } from "../../api/audit";
import { MaskedText } from "./badges";
import { Fact } from "./facts";

type Ai = NonNullable<AuditEvent["ai"]>;

export const conversationHref = (id: string) => `/audit?conversation_id=${encodeURIComponent(id)}`;

/** What the assistant was asked and what it called, as recorded (secrets already masked on the way in). */
export const AiContext: Component<{ ai: Ai; masked: number }> = (props) => (
  <section class="audit-block" aria-labelledby="audit-ai-title">
    <h3 id="audit-ai-title">Assistant</h3>
    <Show when={props.ai.prompt}>
      {(prompt) => (
        <div class="audit-prompt">
          <p class="audit-label">Prompt</p>
          <blockquote data-testid="audit-prompt">
            <MaskedText text={prompt()} />
          </blockquote>
        </div>
      )}
    </Show>
    <dl class="audit-facts">
      <Show when={props.ai.tool_name}>
        {(tool) => (
          <Fact label="Tool">
            <code>{tool()}</code>
          </Fact>
        )}
      </Show>
      <Show when={props.ai.model}>{(model) => <Fact label="Model">{model()}</Fact>}</Show>
      <Show when={props.ai.mcp_server}>{(server) => <Fact label="MCP server">{server()}</Fact>}</Show>
      <Show when={props.ai.message_id}>
        {(id) => (
          <Fact label="Message">
            <code>{id()}</code>
          </Fact>
        )}
      </Show>
    </dl>
    <Show when={props.ai.tool_args}>
      {(args) => (
        <div>
          <p class="audit-label">Tool arguments</p>
          <pre class="audit-json" data-testid="audit-tool-args">
            <MaskedText text={JSON.stringify(args(), null, 2)} />
          </pre>
        </div>
      )}
    </Show>
    <Show when={props.masked > 0}>
      <p class="hint">
        {props.masked} value{props.masked === 1 ? " was" : "s were"} masked before this event was stored; the
        originals never reached the log.
      </p>
    </Show>
    <div class="audit-conversation">
      <a class="button small secondary" href={conversationHref(props.ai.conversation_id)}>
        Open conversation
      </a>
      <p class="hint">
        Shows every audit event of conversation <code>{props.ai.conversation_id}</code> in order. The
        assistant's own conversation view isn't available yet.
      </p>
    </div>
  </section>
);

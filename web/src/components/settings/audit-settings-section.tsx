import { createAsync } from "@solidjs/router";
import { type Component, Show, Suspense } from "solid-js";
import { getAuditSettings } from "../../api/audit";
import { AuditDualApproval } from "./audit-dual-approval";
import { AuditHighRisk } from "./audit-high-risk";
import { AuditMasking } from "./audit-masking";
import { AuditRetention } from "./audit-retention";
import { SkeletonRows } from "./skeleton-rows";

const Sections: Component = () => {
  const settings = createAsync(() => getAuditSettings());
  return (
    <Show when={settings()}>
      {(s) => (
        <>
          <AuditRetention settings={s()} />
          <AuditHighRisk settings={s()} />
          <AuditMasking settings={s()} />
          <AuditDualApproval settings={s()} />
        </>
      )}
    </Show>
  );
};

/** Retention, high-risk types, masking and dual approval: each card saves on its own. */
export const AuditSettingsSection: Component = () => (
  <div class="audit-settings">
    <Suspense
      fallback={
        <section class="card">
          <h2>Audit log</h2>
          <SkeletonRows rows={4} />
        </section>
      }
    >
      <Sections />
    </Suspense>
  </div>
);

/**
 * Interactive API reference: Swagger UI served from our own static assets (no CDN), pointed at
 * the OpenAPI document. The web build copies swagger-ui-dist into /vendor/swagger-ui/.
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>AuditTrail API reference</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/vendor/swagger-ui/init.js"></script>
</body>
</html>`;
}

"use strict";
// /docs: Swagger UI (bundled) over this server's /openapi.json; nothing is fetched from elsewhere.
(() => {
  const root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    deepLinking: true,
    // The validator badge would send the spec to an outside service.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    onComplete: () => { document.body.dataset.state = "rendered"; },
  });
})();

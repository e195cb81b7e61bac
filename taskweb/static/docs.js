// Starts Swagger UI on /docs from a file, so the page runs under a strict CSP.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui",
  });
})();

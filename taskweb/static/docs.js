// Starts Swagger UI on /docs from a file, so the page runs under a strict CSP.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui",
  });

  // Swagger UI heads the page with an h1 and its sections (the tags, "Schemas") with
  // h3 and h4: a screen reader's outline skips a level. They are level 2, as they are
  // rendered (and rendered again). Its own <main> holds the operations; the title and
  // description above it become a region of their own, so that no content is outside
  // a landmark.
  function levelSections() {
    var about = container.querySelector(".information-container");
    if (about && !about.hasAttribute("role")) {
      about.setAttribute("role", "region");
      about.setAttribute("aria-label", "About this API");
    }
    container.querySelectorAll("h3.opblock-tag, section.models > h4").forEach(function (heading) {
      if (heading.getAttribute("aria-level") !== "2") {
        heading.setAttribute("aria-level", "2");
      }
    });
  }
  new MutationObserver(levelSections).observe(container, { childList: true, subtree: true });
})();

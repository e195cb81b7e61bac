// taskweb's own behaviour on top of htmx. No inline scripts: the pages run under
// `Content-Security-Policy: default-src 'self'`.
"use strict";

// Every htmx request carries the CSRF token in a header (DELETE has no form body).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

// Escape inside an inline edit form does what its Cancel button does.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) {
    return;
  }
  const form = event.target.closest("[data-task-edit]");
  const cancel = form && form.querySelector("[data-cancel]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});

// A request that failed without a fragment to show (a server error, the network) is
// reported in the status region instead of failing silently.
function announce(text) {
  const region = document.getElementById("flash");
  if (!region) {
    return;
  }
  const message = document.createElement("p");
  message.className = "flash__message flash__message--error";
  message.textContent = text;
  region.replaceChildren(message);
}

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  const messages = {
    400: "Your session form expired. Reload the page and try again.",
    429: "Too many attempts. Wait a minute, then try again.",
    503: "The service is briefly unavailable. Try again in a moment.",
  };
  announce(messages[status] || "Something went wrong (" + status + "). Reload the page and try again.");
});

document.addEventListener("htmx:sendError", () => {
  announce("The server could not be reached. Check your connection and try again.");
});

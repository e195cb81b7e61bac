// taskweb's own behaviour on top of htmx. No inline scripts: the pages run under
// `Content-Security-Policy: default-src 'self'`.
"use strict";

// The browser's time zone: a cookie for full page loads, a header on every htmx request.
// Sign-up saves it in the new profile; pages of a profile still on the default zone
// follow it (web/time_zone.py). The server validates it (UTC if unknown).
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
if (timeZone) {
  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = "tz=" + encodeURIComponent(timeZone) +
    "; path=/; max-age=31536000; samesite=lax" + secure;
  // A page with dates rendered before the server knew the zone (the very first visit)
  // is loaded again, once, in the right zone.
  const shown = document.body.dataset.timeZone;
  const reloaded = sessionStorage.getItem("tz-reloaded") === timeZone;
  if (shown && shown !== timeZone && !reloaded && document.cookie.includes("tz=")) {
    sessionStorage.setItem("tz-reloaded", timeZone);
    location.reload();
  }
}

// Every htmx request carries the CSRF token in a header (DELETE has no form body), and
// the time zone.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
  if (timeZone) {
    event.detail.headers["X-Timezone"] = timeZone;
  }
});

// Escape inside an inline edit form (or the form that adds subtasks) does what its
// Cancel (or Done) button does.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) {
    return;
  }
  const form = event.target.closest("[data-task-edit], [data-subtask-form]");
  const cancel = form && form.querySelector("[data-cancel]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});

// When a swap removes the element that had the focus (a deleted row, a row that left a
// filtered list, a Next or Previous link), the browser drops the focus on <body>: back
// at the top of the page for a keyboard or screen reader user. Unless the new content
// claims the focus itself (autofocus), it goes to the row that took the old row's place,
// or else to the list heading, scrolling no further than needed.
let focusFallback = null;

document.addEventListener("htmx:beforeSwap", (event) => {
  const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  // Content that loads itself as it comes into view (a task's subtasks) takes nobody's
  // focus: nothing to put back.
  if (trigger instanceof Element && trigger.getAttribute("hx-trigger") === "revealed") {
    focusFallback = null;
    return;
  }
  // Nor does content that refreshes itself in the background (the bell's count).
  if (trigger instanceof Element && trigger.hasAttribute("data-refreshes-itself")) {
    focusFallback = null;
    return;
  }
  const row = trigger instanceof Element ? trigger.closest("li.task") : null;
  const neighbours = row ? [row.nextElementSibling, row.previousElementSibling] : [];
  focusFallback = neighbours.filter((element) => element && element.id).map((element) => element.id);
});

document.addEventListener("htmx:afterSettle", () => {
  const candidates = focusFallback;
  focusFallback = null;
  const focused = document.activeElement;
  if (candidates === null || (focused && focused !== document.body)) {
    return;
  }
  const row = candidates.map((id) => document.getElementById(id)).find(Boolean);
  const target = row || document.getElementById("task-list-heading");
  if (target) {
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
});

// Says `text` in the status region (the live region people and screen readers follow).
// An error by default: a request that failed without a fragment to show (a server error,
// the network) is reported there instead of failing silently; `{error: false}` for news.
function announce(text, { error = true } = {}) {
  const region = document.getElementById("flash");
  if (!region) {
    return;
  }
  const message = document.createElement("p");
  message.className = error ? "flash__message flash__message--error" : "flash__message";
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

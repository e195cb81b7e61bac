// The notifications panel: after "Mark as read" or "Mark all as read" the pressed button
// is gone with the panel it was in, so the focus goes to the panel's heading instead of
// falling back to the top of the page.
"use strict";

document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  if (!(target instanceof Element) || target.id !== "notifications") {
    return;
  }
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.isConnected) {
    return;
  }
  const heading = document.getElementById("notifications-heading");
  if (heading) {
    heading.focus();
  }
});

// The dialogs open and close with invoker commands (`commandfor` + `command="show-modal"`
// or `"close"`) and close on a click outside (`closedby="any"`), all without script.
// Where the browser lacks either, this stands in for it. A modal <dialog> makes the
// page behind it inert and gives the focus back to the opener on closing; Tab and
// Shift+Tab go round the dialog's controls instead of leaving for the browser's own.
"use strict";

(() => {
  const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const dialog = Array.from(document.querySelectorAll("dialog[open]")).find((open) => open.matches(":modal"));
    if (!dialog) {
      return;
    }
    const controls = Array.from(dialog.querySelectorAll(FOCUSABLE))
      .filter((control) => control.checkVisibility());
    if (controls.length === 0) {
      return;
    }
    const first = controls[0];
    const last = controls[controls.length - 1];
    const focused = document.activeElement;
    const leaving = !dialog.contains(focused) ||
      (event.shiftKey ? focused === first : focused === last);
    if (leaving) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });

  if (!("command" in HTMLButtonElement.prototype)) {
    document.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button[commandfor]") : null;
      const dialog = button && document.getElementById(button.getAttribute("commandfor"));
      if (!(dialog instanceof HTMLDialogElement)) {
        return;
      }
      const command = button.getAttribute("command");
      if (command === "show-modal" && !dialog.open) {
        dialog.showModal();
      } else if (command === "close" && dialog.open) {
        dialog.close();
      }
    });
  }

  if (!("closedBy" in HTMLDialogElement.prototype)) {
    // A click on the backdrop lands on the dialog element itself, outside its box.
    document.addEventListener("click", (event) => {
      const dialog = event.target;
      if (!(dialog instanceof HTMLDialogElement) || !dialog.open ||
          dialog.getAttribute("closedby") !== "any") {
        return;
      }
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) {
        dialog.close();
      }
    });
  }
})();

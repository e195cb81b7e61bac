// Keyboard shortcuts of the task lists, listed in the "Keyboard shortcuts" dialog
// (partials/_shortcuts.html). Each one presses a button, follows a link or moves the
// focus: every action still has its visible control, and the server sees nothing new.
"use strict";

(() => {
  const dialog = document.getElementById("shortcuts-dialog");
  if (!dialog) {
    return; // Signed out: no lists, no shortcuts.
  }

  // The second key of a `g` sequence must follow within this many milliseconds.
  const SEQUENCE_TIMEOUT = 1500;
  const DESTINATIONS = { t: "/today", u: "/upcoming" };
  let pendingG = 0;

  // Inputs that take no text: a key pressed on them is free for a shortcut.
  const NOT_TYPED = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "file", "color", "range"]);

  function typingIn(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    if (target.isContentEditable || target.closest("textarea, select") !== null) {
      return true;
    }
    return target instanceof HTMLInputElement && !NOT_TYPED.has(target.type);
  }

  /** The top-level task rows on the page, in document order (not subtasks). */
  function rows() {
    return Array.from(document.querySelectorAll("li.task"))
      .filter((row) => row.parentElement && !row.parentElement.closest("li.task"));
  }

  /** The row that has the focus, or holds the control that has it. */
  function currentRow() {
    const focused = document.activeElement;
    return focused instanceof Element ? focused.closest("li.task") : null;
  }

  function focusRow(row) {
    if (!row.hasAttribute("tabindex")) {
      row.setAttribute("tabindex", "-1");
    }
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function moveFocus(step) {
    const all = rows();
    if (all.length === 0) {
      return;
    }
    const index = all.indexOf(currentRow());
    if (index === -1) {
      focusRow(step > 0 ? all[0] : all[all.length - 1]);
      return;
    }
    const next = all[index + step];
    if (next) {
      focusRow(next);
    }
  }

  /** The row's own control (not one of a subtask's) matching ``selector``. */
  function rowControl(selector) {
    const row = currentRow();
    if (!row) {
      return null;
    }
    const found = Array.from(row.querySelectorAll(selector))
      .find((element) => element.closest("li.task") === row && !element.disabled);
    return found || null;
  }

  function deleteButton() {
    const row = currentRow();
    if (!row) {
      return null;
    }
    const byId = document.getElementById(row.id + "-delete");
    if (byId) {
      return byId;
    }
    return Array.from(row.querySelectorAll(".task__actions button"))
      .find((button) => button.closest("li.task") === row && button.textContent.trim() === "Delete") || null;
  }

  function press(control) {
    if (!control) {
      return false;
    }
    control.click();
    return true;
  }

  function focusField(id) {
    const field = document.getElementById(id);
    if (!field) {
      return false;
    }
    field.focus();
    if (typeof field.select === "function") {
      field.select();
    }
    return true;
  }

  function openHelp() {
    if (!dialog.open) {
      dialog.showModal();
    }
    return true;
  }

  const ACTIONS = {
    j: () => { moveFocus(1); return true; },
    k: () => { moveFocus(-1); return true; },
    x: () => press(rowControl("input.task__select")),
    c: () => {
      const row = currentRow();
      return row ? press(document.getElementById(row.id + "-complete")) : false;
    },
    e: () => {
      const row = currentRow();
      return row ? press(document.getElementById(row.id + "-edit")) : false;
    },
    "#": () => press(deleteButton()),
    Delete: () => press(deleteButton()),
    q: () => focusField("quick-add"),
    "/": () => focusField("filter-q"),
    "?": openHelp,
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey ||
        event.isComposing || typingIn(event.target)) {
      return;
    }
    // An open dialog (this one, Share, a question) has the keyboard to itself.
    if (document.querySelector("dialog[open]")) {
      return;
    }
    if (pendingG && Date.now() - pendingG < SEQUENCE_TIMEOUT && DESTINATIONS[event.key]) {
      pendingG = 0;
      event.preventDefault();
      window.location.assign(DESTINATIONS[event.key]);
      return;
    }
    pendingG = 0;
    if (event.key === "g" && !event.shiftKey) {
      pendingG = Date.now();
      return;
    }
    const action = Object.hasOwn(ACTIONS, event.key) ? ACTIONS[event.key] : null;
    if (action && action()) {
      event.preventDefault();
    }
  });
})();

// "Remind me" in the task edit form (templates/reminders/_remind_me.html): Remove takes a
// reminder off the list until the form is saved, the presets counting from the due date
// are offered only while the form has one, and the custom time shows only when chosen.
// Without script, Remove posts the form (it comes back without that reminder) and every
// control is shown. Messages go to the status region (`announce` from app.js).
"use strict";

(() => {
  function refresh(fieldset) {
    const form = fieldset.closest("form");
    const dueInput = form ? form.querySelector("input[type=date][name=due_date]") : null;
    const hasDue = Boolean(dueInput && dueInput.value);
    const preset = fieldset.querySelector("[data-remind-preset]");
    const count = fieldset.querySelectorAll("input[name=reminders]").length;
    const atLimit = count >= Number(fieldset.dataset.remindersMax || 5);
    fieldset.querySelector("[data-remind-limit]").hidden = !atLimit;
    preset.disabled = atLimit;
    for (const option of preset.querySelectorAll("option[data-needs-due]")) {
      option.disabled = !hasDue;
      if (!hasDue && option.selected) {
        preset.value = "";
      }
    }
    const hint = fieldset.querySelector("[data-remind-due-hint]");
    hint.textContent = hasDue ? hint.dataset.withDue : hint.dataset.withoutDue;
    fieldset.querySelector("[data-remind-custom]").hidden = preset.value !== "custom";
  }

  function enhance(root) {
    for (const fieldset of root.querySelectorAll("[data-remind-me]")) {
      for (const button of fieldset.querySelectorAll("[data-remove-reminder]")) {
        button.type = "button";  // a local change; Save sends the list
      }
      refresh(fieldset);
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element
      ? event.target.closest("[data-remove-reminder]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    const fieldset = button.closest("[data-remind-me]");
    const item = button.closest("li");
    const list = item.parentElement;
    const label = item.querySelector("time").textContent;
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    refresh(fieldset);
    // The focus stays in the list (or goes to the preset when the list is empty).
    const focusTarget = next ? next.querySelector("button") : fieldset.querySelector("[data-remind-preset]");
    if (!list.children.length) {
      list.remove();
    }
    if (focusTarget) {
      focusTarget.focus();
    }
    announce(`Reminder of ${label} removed. Save to keep the change.`, { error: false });
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    const form = target.closest("form");
    const fieldset = form ? form.querySelector("[data-remind-me]") : null;
    if (fieldset && (target.matches("[data-remind-preset]") || target.name === "due_date")) {
      refresh(fieldset);
    }
  });
  document.addEventListener("input", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.name === "due_date") {
      const fieldset = target.form ? target.form.querySelector("[data-remind-me]") : null;
      if (fieldset) {
        refresh(fieldset);
      }
    }
  });

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));
})();

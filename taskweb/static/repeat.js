// The task forms' Repeat field: the custom rule input shows only while "Custom…" is
// chosen. Hidden, it is also disabled, so text typed there before another choice was
// made is not sent (without script both show and typed text wins).
"use strict";

(() => {
  const CUSTOM = "custom";

  function sync(select) {
    const form = select.form;
    const rule = form ? form.querySelector("[data-repeat-rule]") : null;
    const wrapper = rule ? rule.closest(".field") : null;
    if (!rule || !wrapper) {
      return;
    }
    const custom = select.value === CUSTOM;
    wrapper.hidden = !custom;
    rule.disabled = !custom;
  }

  function syncAll(root) {
    root.querySelectorAll("select[data-repeat]").forEach(sync);
  }

  document.addEventListener("change", (event) => {
    const select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-repeat")) {
      sync(select);
      if (select.value === CUSTOM) {
        select.form.querySelector("[data-repeat-rule]").focus();
      }
    }
  });
  document.addEventListener("DOMContentLoaded", () => syncAll(document));
  document.addEventListener("htmx:load", (event) => syncAll(event.target));
})();

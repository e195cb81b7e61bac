// Bulk selection on task lists: the rows' `.task__select` checkboxes belong to the form
// `#bulk-actions` (the bulk bar, shown by the CSS while a row is selected). This adds
// how many are selected, shift-click to tick (or clear) every box between the last one
// clicked and this one, and Enter in one of the bar's fields sending that field's own
// action. Without script the bar still shows and posts as a plain form.
"use strict";

(() => {
  let lastClicked = null;

  const boxes = () => Array.from(document.querySelectorAll("input.task__select"));

  function refreshBar() {
    const bar = document.getElementById("bulk-actions");
    if (!bar) {
      return;
    }
    const selected = boxes().filter((box) => box.checked).length;
    const count = bar.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = selected ? "(" + selected + ")" : "";
    }
  }

  document.addEventListener("click", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("task__select")) {
      return;
    }
    const all = boxes();
    if (event.shiftKey && lastClicked && lastClicked !== box && all.includes(lastClicked)) {
      const [from, to] = [all.indexOf(lastClicked), all.indexOf(box)].sort((a, b) => a - b);
      all.slice(from, to + 1).forEach((other) => { other.checked = box.checked; });
    }
    lastClicked = box;
    refreshBar();
  });

  // Ticked another way (the keyboard's space bar, a shortcut).
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.classList.contains("task__select")) {
      refreshBar();
    }
  });

  document.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || !(field instanceof HTMLInputElement)) {
      return;
    }
    const group = field.closest("#bulk-actions .bulk-bar__group");
    const button = group && group.querySelector("button[name=action]");
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  document.addEventListener("DOMContentLoaded", refreshBar);
  document.addEventListener("htmx:afterSettle", refreshBar);
})();

// Quick add: the key `q` moves the focus to the Quick add box (id="quick-add") when the
// focus is not in a field, so typing a task never needs the mouse. Self-contained: a
// global shortcut system may take this key over later.
(() => {
  "use strict";

  function typingInField(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "q" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    if (typingInField(event.target)) {
      return;
    }
    const box = document.getElementById("quick-add");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  });
})();

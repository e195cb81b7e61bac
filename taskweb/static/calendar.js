// "Copy" buttons: `data-copy="<input id>"` puts that input's value on the clipboard and
// says so in the status region (in the words of the button's `data-copied`, if it has
// them). Where the clipboard is refused, the text is selected instead, for the person to
// copy by hand (`announce` is app.js's, which base.html loads first).
"use strict";

(() => {
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    const input = button ? document.getElementById(button.dataset.copy) : null;
    if (!(input instanceof HTMLInputElement)) {
      return;
    }
    try {
      await navigator.clipboard.writeText(input.value);
      announce(button.dataset.copied || "The address is copied to the clipboard.", { error: false });
    } catch (error) {
      input.focus();
      input.select();
      announce("Copying was not allowed: the text is selected, press Ctrl+C (or ⌘C) to copy it.");
    }
  });
})();

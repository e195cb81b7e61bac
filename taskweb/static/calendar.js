// "Copy" buttons: `data-copy="<input id>"` puts that input's value on the clipboard and
// says so in the status region. Where the clipboard is refused, the text is selected
// instead, for the person to copy by hand.
"use strict";

(() => {
  function say(text) {
    const region = document.getElementById("flash");
    if (!region) {
      return;
    }
    const message = document.createElement("p");
    message.className = "flash__message";
    message.textContent = text;
    region.replaceChildren(message);
  }

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    const input = button ? document.getElementById(button.dataset.copy) : null;
    if (!(input instanceof HTMLInputElement)) {
      return;
    }
    try {
      await navigator.clipboard.writeText(input.value);
      say("The address is copied to the clipboard.");
    } catch (error) {
      input.focus();
      input.select();
      say("Copying was not allowed: the address is selected, press Ctrl+C (or ⌘C) to copy it.");
    }
  });
})();

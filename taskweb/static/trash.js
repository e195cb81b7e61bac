// Irreversible actions ask first: a form marked `data-confirm="<dialog id>"` opens that
// <dialog> as a modal (the focus stays inside it, Escape cancels, and the browser puts
// the focus back on the button that opened it when it closes). Its `data-confirm-yes`
// button sends the form; `data-confirm-no` closes it. Without script the form posts.
"use strict";

(() => {
  let pending = null;

  // Capture phase: this runs before htmx's own submit handler on the form.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) {
      return;
    }
    if (form.dataset.confirmed === "yes") {
      delete form.dataset.confirmed;
      return;
    }
    const dialog = document.getElementById(form.dataset.confirm);
    if (!(dialog instanceof HTMLDialogElement)) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    pending = form;
    dialog.showModal();
  }, true);

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element
      ? event.target.closest("[data-confirm-yes], [data-confirm-no]") : null;
    const dialog = button ? button.closest("dialog") : null;
    if (!dialog) {
      return;
    }
    const form = pending;
    pending = null;
    dialog.close();
    if (button.hasAttribute("data-confirm-yes") && form && form.isConnected) {
      form.dataset.confirmed = "yes";
      form.requestSubmit();
    }
  });
})();
